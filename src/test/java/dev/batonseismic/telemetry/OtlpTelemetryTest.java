package dev.batonseismic.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import dev.batonseismic.c1emulator.TestCertificateAuthority;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The SDK the connector sends with, against a real OTLP/gRPC collector in this JVM: each BATON_OTEL_* setting changes
 * what arrives, and how (TLS to the collector's CA, or plaintext).
 */
class OtlpTelemetryTest {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(OtlpTelemetryTest.class);

    @TempDir
    Path dir;

    private static TelemetrySettings settings(OtlpCollector collector, String certPath, String cert, boolean insecure,
                                              boolean tracingDisabled, boolean loggingDisabled) {
        List<String> problems = new ArrayList<>();
        TelemetrySettings s = TelemetrySettings.read(new TelemetryProperties(collector.endpoint(), certPath, cert, insecure,
                tracingDisabled, loggingDisabled), problems);
        assertThat(problems).isEmpty();
        return s;
    }

    /**
     * One span named {@code step-<marker>} with one log line inside it, flushed (the flush returns once the collector
     * has answered, or the sending failed); the span's trace id.
     */
    private static String send(TelemetrySettings settings, String marker) {
        try (OtlpTelemetry telemetry = OtlpTelemetry.start(settings, "test-service", "1.2.3")) {
            Span span = telemetry.tracer().spanBuilder("step-" + marker).startSpan();
            try (Scope ignored = span.makeCurrent()) {
                LOG.info("inside {}", marker);
            } finally {
                span.end();
            }
            telemetry.flush().join(20, TimeUnit.SECONDS);
            return span.getSpanContext().getTraceId();
        }
    }

    private static List<String> spanNames(OtlpCollector collector) {
        return collector.spans().stream().map(s -> s.span().getName()).toList();
    }

    @Test
    void tracesAndLogsReachAPlaintextCollectorWithInsecureTogetherAndTracedTogether() throws Exception {
        try (OtlpCollector collector = OtlpCollector.plaintext()) {
            String marker = UUID.randomUUID().toString();
            String traceId = send(settings(collector, null, null, true, false, false), marker);

            assertThat(spanNames(collector)).containsExactly("step-" + marker);
            assertThat(collector.spans().get(0).resource()).containsEntry("service.name", "test-service").containsEntry("service.version", "1.2.3");
            OtlpCollector.ReceivedLog log = collector.logs().stream()
                    .filter(l -> l.log().getBody().getStringValue().equals("inside " + marker)).findFirst().orElseThrow();
            assertThat(HexFormat.of().formatHex(log.log().getTraceId().toByteArray())).as("the log line is in the span's trace")
                    .isEqualTo(traceId);
            assertThat(log.log().getSeverityText()).isEqualTo("INFO");
            assertThat(log.resource()).containsEntry("service.name", "test-service");
        }
        assertThat(rootAppenders()).as("the appender is detached on close").doesNotContain("otlp");
    }

    @Test
    void withoutInsecureItSpeaksTlsSoAPlaintextCollectorGetsNothing() throws Exception {
        try (OtlpCollector collector = OtlpCollector.plaintext()) {
            send(settings(collector, null, null, false, false, true), "tls");
            assertThat(collector.spans()).isEmpty();
        }
    }

    @Test
    void overTlsTheCollectorIsTrustedThroughItsCaFromAFileOrTheSettingAndOnlyThen() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.throwaway(); // in no trust store, the JVM's included
        String pem = TelemetryTls.pem(ca.caCertificate());
        Path file = Files.writeString(dir.resolve("collector-ca.pem"), pem);
        try (OtlpCollector collector = OtlpCollector.tls(ca.serverKeys())) {
            send(settings(collector, file.toString(), null, false, false, true), "path");
            assertThat(spanNames(collector)).containsExactly("step-path");
            send(settings(collector, null, TelemetryTls.batonBase64(pem), false, false, true), "cert");
            assertThat(spanNames(collector)).containsExactly("step-path", "step-cert");
            send(settings(collector, null, null, false, false, true), "jvm");
            send(settings(collector, null, null, true, false, true), "plain");
            assertThat(spanNames(collector)).as("not with the JVM's CAs, nor in plaintext").containsExactly("step-path", "step-cert");
        }
    }

    @Test
    void tracingAndLoggingCanEachBeLeftOut() throws Exception {
        try (OtlpCollector collector = OtlpCollector.plaintext()) {
            send(settings(collector, null, null, true, false, true), "traces-only");
            send(settings(collector, null, null, true, true, false), "logs-only");
            assertThat(spanNames(collector)).containsExactly("step-traces-only");
            assertThat(collector.logs()).extracting(l -> l.log().getBody().getStringValue())
                    .contains("inside logs-only").doesNotContain("inside traces-only");
        }
    }

    private static List<String> rootAppenders() {
        List<String> names = new ArrayList<>();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders()
                .forEachRemaining(a -> names.add(a.getName()));
        return names;
    }
}
