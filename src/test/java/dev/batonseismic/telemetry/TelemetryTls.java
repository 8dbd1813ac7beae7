package dev.batonseismic.telemetry;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** A CA certificate as an operator hands it to the connector. */
final class TelemetryTls {
    private TelemetryTls() {}

    static String pem(X509Certificate certificate) throws CertificateEncodingException {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    /** BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT's form in baton-sdk: the PEM in unpadded URL-safe base64. */
    static String batonBase64(String pem) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
