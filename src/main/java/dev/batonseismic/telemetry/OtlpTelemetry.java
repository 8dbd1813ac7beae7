package dev.batonseismic.telemetry;

import ch.qos.logback.classic.LoggerContext;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK that sends this connector's traces and logs to the collector over OTLP/gRPC, as baton-sdk's
 * {@code pkg/uotel/config.go} sets it up: one gRPC channel (grpc-java's, as for ConductorOne) for both, every span
 * sampled, batches sent in the background, W3C trace context and baggage propagated. It is made only when
 * {@link TelemetrySettings#enabled()}; it is never registered as {@code GlobalOpenTelemetry}: Camel's tracer finds its
 * {@link Tracer} among the beans. {@link #close} sends what is still queued and stops the threads.
 */
public final class OtlpTelemetry implements AutoCloseable {
    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
    private static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final ManagedChannel channel;
    private final OpenTelemetrySdk sdk;
    private final OtlpLogAppender appender;

    private OtlpTelemetry(ManagedChannel channel, OpenTelemetrySdk sdk, OtlpLogAppender appender) {
        this.channel = channel;
        this.sdk = sdk;
        this.appender = appender;
    }

    /** Sets up the channel, traces (unless disabled) and logs (unless disabled, then attached to the root logger). */
    public static OtlpTelemetry start(TelemetrySettings settings, String serviceName, String version) {
        ManagedChannel channel = channel(settings);
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName, SERVICE_VERSION, version)));
        OpenTelemetrySdkBuilder sdk = OpenTelemetrySdk.builder().setPropagators(ContextPropagators.create(
                TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())));
        if (settings.tracing()) {
            sdk.setTracerProvider(SdkTracerProvider.builder().setResource(resource).setSampler(Sampler.alwaysOn())
                    .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder().setChannel(channel)
                            .setMeterProvider(MeterProvider::noop).build()).build())
                    .build());
        }
        SdkLoggerProvider logs = null;
        if (settings.logging()) {
            logs = SdkLoggerProvider.builder().setResource(resource)
                    .addLogRecordProcessor(BatchLogRecordProcessor.builder(OtlpGrpcLogRecordExporter.builder().setChannel(channel)
                            .setMeterProvider(MeterProvider::noop).build()).setScheduleDelay(Duration.ofSeconds(1)).build())
                    .build();
            sdk.setLoggerProvider(logs);
        }
        OtlpLogAppender appender = logs == null ? null : attach(logs);
        return new OtlpTelemetry(channel, sdk.build(), appender);
    }

    /** The tracer Camel's spans are made with (a no-op one when tracing is disabled). */
    public Tracer tracer() {
        return sdk.getTracer("org.apache.camel");
    }

    public ContextPropagators propagators() {
        return sdk.getPropagators();
    }

    /** Sends what is queued now; the result tells whether the collector took it. */
    public CompletableResultCode flush() {
        List<CompletableResultCode> all = new ArrayList<>();
        all.add(sdk.getSdkTracerProvider().forceFlush());
        all.add(sdk.getSdkLoggerProvider().forceFlush());
        return CompletableResultCode.ofAll(all);
    }

    /** Detaches the log appender, sends what is queued (waiting up to 10 s) and closes the channel. */
    @Override
    public void close() {
        if (appender != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
            appender.stop();
        }
        sdk.shutdown().join(10, TimeUnit.SECONDS);
        channel.shutdown();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.shutdownNow();
    }

    private static OtlpLogAppender attach(SdkLoggerProvider logs) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext logback)) {
            LoggerFactory.getLogger(OtlpTelemetry.class).warn("Logs are not sent to the collector: logging is not Logback");
            return null;
        }
        OtlpLogAppender appender = new OtlpLogAppender(logs);
        appender.setContext(logback);
        appender.start();
        logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender;
    }

    private static ManagedChannel channel(TelemetrySettings settings) {
        NettyChannelBuilder channel = NettyChannelBuilder.forAddress(settings.endpoint().host(), settings.endpoint().port());
        if (settings.insecure()) {
            return channel.usePlaintext().build();
        }
        try {
            SslContextBuilder tls = GrpcSslContexts.forClient().protocols(TLS_PROTOCOLS);
            if (!settings.trusted().isEmpty()) {
                tls.trustManager(settings.trusted().toArray(X509Certificate[]::new));
            }
            return channel.sslContext(tls.build()).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS towards the OpenTelemetry collector: " + e.getMessage(), e);
        }
    }
}
