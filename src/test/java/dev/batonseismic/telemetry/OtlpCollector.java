package dev.batonseismic.telemetry;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;

/**
 * An OpenTelemetry collector for tests: OTLP/gRPC's TraceService and LogsService on 127.0.0.1 and a free port, in
 * plaintext or TLS, keeping every span and log record it is sent with its resource's attributes, and counting them
 * and the export requests that carried them. The benchmark's collector ({@link #counting()}) only counts.
 */
public final class OtlpCollector implements AutoCloseable {
    /** What the collector has been sent so far: spans, log records, and the export requests that carried each. */
    public record Received(long spans, long logRecords, long spanExports, long logExports) {
        /** What was received after {@code before}. */
        public Received since(Received before) {
            return new Received(spans - before.spans, logRecords - before.logRecords, spanExports - before.spanExports,
                    logExports - before.logExports);
        }
    }

    /** A span as received, with the attributes of the resource that sent it. */
    record ReceivedSpan(Map<String, String> resource, Span span) {
        Map<String, String> attributes() {
            return OtlpCollector.attributes(span.getAttributesList());
        }

        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }
    }

    /** A log record as received, with the attributes of the resource that sent it. */
    record ReceivedLog(Map<String, String> resource, LogRecord log) {}

    private final Server server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();
    private final AtomicLong spanCount = new AtomicLong();
    private final AtomicLong logCount = new AtomicLong();
    private final AtomicLong spanExports = new AtomicLong();
    private final AtomicLong logExports = new AtomicLong();

    private OtlpCollector(NettyServerBuilder builder, boolean keep) {
        server = builder.addService(new TraceServiceGrpc.TraceServiceImplBase() {
            @Override
            public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> answer) {
                spanExports.incrementAndGet();
                for (ResourceSpans r : request.getResourceSpansList()) {
                    Map<String, String> resource = attributes(r.getResource().getAttributesList());
                    r.getScopeSpansList().forEach(s -> {
                        spanCount.addAndGet(s.getSpansCount());
                        if (keep) {
                            s.getSpansList().forEach(span -> spans.add(new ReceivedSpan(resource, span)));
                        }
                    });
                }
                answer.onNext(ExportTraceServiceResponse.getDefaultInstance());
                answer.onCompleted();
            }
        }).addService(new LogsServiceGrpc.LogsServiceImplBase() {
            @Override
            public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> answer) {
                logExports.incrementAndGet();
                for (ResourceLogs r : request.getResourceLogsList()) {
                    Map<String, String> resource = attributes(r.getResource().getAttributesList());
                    r.getScopeLogsList().forEach(s -> {
                        logCount.addAndGet(s.getLogRecordsCount());
                        if (keep) {
                            s.getLogRecordsList().forEach(log -> logs.add(new ReceivedLog(resource, log)));
                        }
                    });
                }
                answer.onNext(ExportLogsServiceResponse.getDefaultInstance());
                answer.onCompleted();
            }
        }).build();
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test collector: " + e.getMessage(), e);
        }
    }

    static OtlpCollector plaintext() {
        return new OtlpCollector(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), true);
    }

    /**
     * Plaintext, counting what it is sent and keeping none of it: a sync sends tens of spans per Seismic call, hundreds
     * of thousands for 100,000 users, which the lists would hold (and copy on every add).
     */
    public static OtlpCollector counting() {
        return new OtlpCollector(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), false);
    }

    /** TLS with the given key and certificate chain. */
    static OtlpCollector tls(KeyManagerFactory keys) {
        try {
            return new OtlpCollector(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(keys)).build()), true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}: what BATON_OTEL_COLLECTOR_ENDPOINT is set to. */
    public String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    /** The counts so far (each read on its own: a snapshot only between exports). */
    public Received received() {
        return new Received(spanCount.get(), logCount.get(), spanExports.get(), logExports.get());
    }

    List<ReceivedSpan> spans() {
        return spans;
    }

    List<ReceivedLog> logs() {
        return logs;
    }

    static Map<String, String> attributes(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> b));
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
