package dev.batonseismic.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.batonseismic.c1.HostAndPort;
import dev.batonseismic.c1emulator.TestCertificateAuthority;
import dev.batonseismic.config.InvalidSettingException;
import dev.batonseismic.config.SettingsConfiguration;
import dev.batonseismic.config.ValidSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** baton's BATON_OTEL_* settings as start-up reads them: what each turns on, and one sentence for each mistake. */
class TelemetrySettingsTest {
    @TempDir
    Path dir;

    private static MockEnvironment otel(String... pairs) {
        MockEnvironment env = ValidSettings.environment();
        for (int i = 0; i < pairs.length; i += 2) {
            env.setProperty("baton.otel." + pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static List<String> problems(MockEnvironment env) {
        InvalidSettingException e = catchThrowableOfType(() -> SettingsConfiguration.check(env, ValidSettings.SINK_TYPES),
                InvalidSettingException.class);
        return e == null ? List.of() : e.problems();
    }

    private static TelemetrySettings read(String endpoint, String certPath, String cert, boolean insecure) {
        List<String> problems = new ArrayList<>();
        TelemetrySettings s = TelemetrySettings.read(new TelemetryProperties(endpoint, certPath, cert, insecure, false, false), problems);
        assertThat(problems).isEmpty();
        return s;
    }

    @Test
    void theEndpointIsAGrpcTargetAndTlsTrustsTheJvmsCasUnlessToldOtherwise() {
        assertThat(problems(otel("collector-endpoint", "otel-collector:4317"))).isEmpty();
        TelemetrySettings s = read("otel-collector:4317", null, null, false);
        assertThat(s.enabled()).isTrue();
        assertThat(s.endpoint()).isEqualTo(new HostAndPort("otel-collector", 4317));
        assertThat(s.insecure()).isFalse();
        assertThat(s.trusted()).as("the JVM's CAs").isEmpty();
        assertThat(read("dns:///otel-collector", null, null, true).endpoint()).as("grpc-go's default port")
                .isEqualTo(new HostAndPort("otel-collector", 443));
        assertThat(read("[::1]:4317", null, null, true).insecure()).isTrue();
        assertThat(read(" ", null, null, false).enabled()).as("unset: off").isFalse();
        assertThat(TelemetrySettings.read(null, new ArrayList<>()).enabled()).isFalse();
    }

    @Test
    void theCollectorsCaComesFromAPemFileOrTheBase64OfOneAsBatonReadsIt() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.throwaway();
        String pem = TelemetryTls.pem(ca.caCertificate());
        Path file = Files.writeString(dir.resolve("ca.pem"), pem);

        assertThat(read("collector:4317", file.toString(), null, false).trusted()).containsExactly(ca.caCertificate());
        assertThat(read("collector:4317", null, TelemetryTls.batonBase64(pem), false).trusted()).containsExactly(ca.caCertificate());
        assertThat(read("collector:4317", null, java.util.Base64.getEncoder().encodeToString(pem.getBytes()), false).trusted())
                .as("padded standard base64 too").containsExactly(ca.caCertificate());
        assertThat(read("collector:4317", null, pem, false).trusted()).as("or the PEM text").containsExactly(ca.caCertificate());
    }

    @Test
    void eachMistakeIsOneSentenceNamingTheVariable() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        String certText = "c29tZXRoaW5nIHRoYXQgaXMgbm90IGEgY2VydGlmaWNhdGU";
        assertThat(problems(otel("collector-endpoint", "http://otel-collector:4317"))).containsExactly(
                "BATON_OTEL_COLLECTOR_ENDPOINT is malformed: expected the collector's OTLP/gRPC host:port such as otel-collector:4317, "
                        + "with no scheme (BATON_OTEL_COLLECTOR_ENDPOINT_TLS_INSECURE=true for plaintext), got 'http://otel-collector:4317'.");
        assertThat(problems(otel("collector-endpoint", "otel-collector:0"))).singleElement().asString()
                .startsWith("BATON_OTEL_COLLECTOR_ENDPOINT is malformed");
        assertThat(problems(otel("collector-endpoint", "c:4317", "collector-endpoint-tls-cert-path", dir.resolve("none.pem").toString())))
                .containsExactly("BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT_PATH names no readable file: '" + dir.resolve("none.pem") + "'.");
        assertThat(problems(otel("collector-endpoint", "c:4317", "collector-endpoint-tls-cert-path", notPem.toString())))
                .containsExactly("BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT_PATH is malformed: '" + notPem + "' holds no PEM certificate.");
        assertThat(problems(otel("collector-endpoint", "c:4317", "collector-endpoint-tls-cert", certText))).containsExactly(
                "BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT is malformed: expected the collector's CA certificate in PEM, base64-encoded "
                        + "(as baton-sdk reads it) or as it is.");
        assertThat(problems(otel("collector-endpoint", "c:4317", "collector-endpoint-tls-cert", "!!"))).singleElement().asString()
                .startsWith("BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT is malformed").doesNotContain("!!");
        assertThat(problems(otel("collector-endpoint", "c:4317", "collector-endpoint-tls-cert-path", notPem.toString(),
                "collector-endpoint-tls-cert", certText))).containsExactly("BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT_PATH and "
                + "BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT are both set: give the collector's CA certificate in one of them.");
        // as baton: plaintext wins over a certificate, and TLS settings without an endpoint set nothing up
        assertThat(problems(otel("collector-endpoint", "c:4317", "collector-endpoint-tls-cert-path", notPem.toString(),
                "collector-endpoint-tls-insecure", "true"))).isEmpty();
        TelemetrySettings plain = read("c:4317", notPem.toString(), "", true);
        assertThat(plain.insecure()).isTrue();
        assertThat(plain.trusted()).isEmpty();
        assertThat(problems(otel("collector-endpoint-tls-insecure", "true", "collector-endpoint-tls-cert", certText))).isEmpty();
        assertThat(read("", "", certText, true).enabled()).isFalse();
        assertThat(problems(otel("collector-endpoint", "c:4317", "tracing-disabled", "maybe", "logging-disabled", "never"))).containsExactly(
                "BATON_OTEL_LOGGING_DISABLED (baton.otel.logging-disabled) is malformed: expected true or false, got 'never'.",
                "BATON_OTEL_TRACING_DISABLED (baton.otel.tracing-disabled) is malformed: expected true or false, got 'maybe'.");
        assertThat(problems(otel("tracing-disabled", "true", "logging-disabled", "true"))).as("harmless without an endpoint").isEmpty();
    }

    @Test
    void camelsTracerIsOnWithAnEndpointUnlessTracingIsDisabled() {
        assertThat(switched(otel())).isEqualTo("false");
        assertThat(switched(otel("collector-endpoint", "c:4317"))).isEqualTo("true");
        assertThat(switched(otel("collector-endpoint", "c:4317", "logging-disabled", "true"))).isEqualTo("true");
        assertThat(switched(otel("collector-endpoint", "c:4317", "tracing-disabled", "TRUE"))).isEqualTo("false");
        assertThat(switched(otel("collector-endpoint", "${a.test.port}"))).as("resolved later: set").isEqualTo("true");
        assertThat(switched(otel().withProperty(TelemetrySwitch.CAMEL_TRACING, "true"))).as("an explicit setting wins").isEqualTo("true");

        List<String> problems = new ArrayList<>();
        assertThat(TelemetrySettings.read(new TelemetryProperties("c:4317", null, null, true, true, true), problems).enabled())
                .as("neither traces nor logs: nothing to send").isFalse();
        assertThat(problems).isEmpty();
    }

    private static String switched(MockEnvironment env) {
        new TelemetrySwitch().postProcessEnvironment(env, null);
        return env.getProperty(TelemetrySwitch.CAMEL_TRACING);
    }
}
