package dev.batonseismic.telemetry;

import dev.batonseismic.c1.HostAndPort;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * baton's OpenTelemetry settings, checked (ConductorOne/baton-sdk {@code pkg/cli/commands.go} {@code initOtel},
 * {@code pkg/uotel/config.go}): traces, and logs, go over OTLP/gRPC to {@code BATON_OTEL_COLLECTOR_ENDPOINT}, a gRPC
 * target {@code host[:port]} (port 443 when left out, as grpc-go's DNS resolver takes it; {@code dns:///} may precede
 * it); over TLS 1.2 or later trusting the JVM's CAs, or only the CA certificate of
 * {@code BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT_PATH} (a PEM file) or {@code BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT}
 * (the PEM base64-encoded, as baton decodes it, or the PEM text); in plaintext with
 * {@code BATON_OTEL_COLLECTOR_ENDPOINT_TLS_INSECURE}. {@code BATON_OTEL_TRACING_DISABLED} and
 * {@code BATON_OTEL_LOGGING_DISABLED} leave out traces or logs; with both, nothing is sent. Without an endpoint
 * nothing is sent and nothing is set up, whatever else is set; with {@code _TLS_INSECURE} a certificate is not used
 * (said once in the log): both as baton does, so that its manifests run here unchanged.
 *
 * @param endpoint the collector; null: telemetry off
 * @param trusted  the CA certificates the collector's certificate must chain to; empty: the JVM's
 */
public record TelemetrySettings(HostAndPort endpoint, boolean insecure, List<X509Certificate> trusted, boolean tracing, boolean logging) {
    static final String ENDPOINT = "BATON_OTEL_COLLECTOR_ENDPOINT";
    static final String CERT_PATH = "BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT_PATH";
    static final String CERT = "BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT";
    static final String INSECURE = "BATON_OTEL_COLLECTOR_ENDPOINT_TLS_INSECURE";
    /** The certificate beside {@code _TLS_INSECURE} is said once a process, however often the settings are read. */
    private static final AtomicBoolean IGNORED_CERT_WARNED = new AtomicBoolean();
    /** grpc-go's default port for a target without one. */
    static final int DEFAULT_PORT = 443;

    /** Whether anything is sent: an endpoint, and traces or logs. */
    public boolean enabled() {
        return endpoint != null && (tracing || logging);
    }

    /**
     * The settings in {@code p}; each problem becomes one sentence in {@code problems} (a certificate is never echoed).
     * Telemetry is off where there is a problem.
     */
    public static TelemetrySettings read(TelemetryProperties p, List<String> problems) {
        String endpoint = trim(p == null ? null : p.collectorEndpoint());
        String certPath = trim(p == null ? null : p.collectorEndpointTlsCertPath());
        String cert = trim(p == null ? null : p.collectorEndpointTlsCert());
        boolean insecure = p != null && Boolean.TRUE.equals(p.collectorEndpointTlsInsecure());
        boolean tracing = p == null || !Boolean.TRUE.equals(p.tracingDisabled());
        boolean logging = p == null || !Boolean.TRUE.equals(p.loggingDisabled());
        TelemetrySettings off = new TelemetrySettings(null, false, List.of(), tracing, logging);
        int before = problems.size();
        if (endpoint.isEmpty()) {
            return off; // as baton: without an endpoint the TLS settings mean nothing, and a manifest may carry them anyway
        }
        String target = endpoint.startsWith("dns:///") ? endpoint.substring("dns:///".length()) : endpoint;
        if (!HostAndPort.valid(target)) {
            problems.add(ENDPOINT + " is malformed: expected the collector's OTLP/gRPC host:port such as otel-collector:4317, with no "
                    + "scheme (" + INSECURE + "=true for plaintext), got '" + shown(endpoint) + "'.");
        }
        if (!certPath.isEmpty() && !cert.isEmpty()) {
            problems.add(CERT_PATH + " and " + CERT + " are both set: give the collector's CA certificate in one of them.");
        } else if (insecure && !(certPath.isEmpty() && cert.isEmpty()) && IGNORED_CERT_WARNED.compareAndSet(false, true)) {
            // baton-sdk takes plaintext and ignores the certificate: a baton manifest runs here unchanged, and is told
            LoggerFactory.getLogger(TelemetrySettings.class).warn("{}=true: traces go to the collector in plaintext, and {} is not used",
                    INSECURE, certPath.isEmpty() ? CERT : CERT_PATH);
        }
        List<X509Certificate> trusted = List.of();
        if (!certPath.isEmpty() && cert.isEmpty() && !insecure) {
            trusted = certificatesFromFile(certPath, problems);
        } else if (!cert.isEmpty() && certPath.isEmpty() && !insecure) {
            trusted = certificates(decoded(cert), CERT + " is malformed: expected the collector's CA certificate in PEM, base64-encoded "
                    + "(as baton-sdk reads it) or as it is.", problems);
        }
        if (problems.size() > before) {
            return off;
        }
        return new TelemetrySettings(HostAndPort.parse(target, DEFAULT_PORT), insecure, trusted, tracing, logging);
    }

    private static List<X509Certificate> certificatesFromFile(String path, List<String> problems) {
        byte[] pem;
        try {
            pem = Files.readAllBytes(Path.of(path));
        } catch (IOException | InvalidPathException e) {
            problems.add(CERT_PATH + " names no readable file: '" + shown(path) + "'.");
            return List.of();
        }
        return certificates(pem, CERT_PATH + " is malformed: '" + shown(path) + "' holds no PEM certificate.", problems);
    }

    /** baton-sdk decodes the setting as unpadded URL-safe base64; either alphabet, padded or not, is taken, and PEM text as it is. */
    private static byte[] decoded(String cert) {
        if (cert.startsWith("-----BEGIN")) {
            return cert.getBytes(StandardCharsets.US_ASCII);
        }
        String b64 = cert.replaceAll("\\s", "").replace('-', '+').replace('_', '/').replaceAll("=+$", "");
        try {
            return Base64.getDecoder().decode(b64 + "===".substring(0, (4 - b64.length() % 4) % 4));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static List<X509Certificate> certificates(byte[] pem, String problem, List<String> problems) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                out.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            out.clear();
        }
        if (out.isEmpty()) {
            problems.add(problem);
        }
        return List.copyOf(out);
    }

    private static String shown(String v) {
        return v.length() > 80 ? v.substring(0, 80) + "…" : v;
    }

    private static String trim(String v) {
        return v == null ? "" : v.trim();
    }
}
