package dev.batonseismic.c1emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Checks a client assertion as ConductorOne's token endpoint would: a compact JWS with {@code alg} EdDSA, signed by
 * the client's Ed25519 key, claiming {@code iss} = {@code sub} = the client id, {@code aud} = the token host
 * without a port, unexpired, already valid, and living at most ten minutes.
 */
final class AssertionVerifier {
    static final Duration SKEW = Duration.ofSeconds(30);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

    /** A refused token request: the HTTP status, the OAuth {@code error} and which check failed. */
    static final class Rejection extends Exception {
        final int status;
        final String error;

        Rejection(int status, String error, String description) {
            super(description, null, false, false);
            this.status = status;
            this.error = error;
        }

        static Rejection invalidRequest(String description) {
            return new Rejection(400, "invalid_request", description);
        }

        static Rejection invalidClient(String description) {
            return new Rejection(401, "invalid_client", description);
        }

        static Rejection invalidGrant(String description) {
            return new Rejection(400, "invalid_grant", description);
        }
    }

    private final ObjectMapper json;
    private final ClientCredentials client;

    AssertionVerifier(ObjectMapper json, ClientCredentials client) {
        this.json = json;
        this.client = client;
    }

    void verify(String assertion, Instant now) throws Rejection {
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            throw Rejection.invalidRequest("client_assertion is not a compact JWS (header.payload.signature)");
        }
        JsonNode header = object(parts[0], "header");
        JsonNode claims = object(parts[1], "payload");
        byte[] signature = decode(parts[2], "signature");
        if (!"EdDSA".equals(header.path("alg").asText(null))) {
            throw Rejection.invalidClient("the JWS alg is " + header.path("alg") + ", not \"EdDSA\"");
        }
        if (!signatureValid((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw Rejection.invalidClient("the signature does not verify with the client's Ed25519 key");
        }
        checkClaims(claims, now);
    }

    private void checkClaims(JsonNode claims, Instant now) throws Rejection {
        String clientId = client.clientId();
        if (!clientId.equals(claims.path("iss").asText(null))) {
            throw Rejection.invalidGrant("iss is " + claims.path("iss") + ", not the client id " + clientId);
        }
        if (!clientId.equals(claims.path("sub").asText(null))) {
            throw Rejection.invalidGrant("sub is " + claims.path("sub") + ", not the client id " + clientId);
        }
        JsonNode aud = claims.path("aud");
        String audience = aud.isArray() && aud.size() == 1 ? aud.get(0).asText(null) : aud.isTextual() ? aud.asText() : null;
        if (!client.audience().equals(audience)) {
            throw Rejection.invalidGrant("aud is " + aud + ", not \"" + client.audience() + "\" (the token host without a port)");
        }
        long nowSeconds = now.getEpochSecond();
        long exp = numericDate(claims, "exp");
        long iat = numericDate(claims, "iat");
        if (exp <= nowSeconds) {
            throw Rejection.invalidGrant("the assertion expired (exp " + exp + " is not after now " + nowSeconds + ")");
        }
        if (claims.has("nbf") && numericDate(claims, "nbf") > nowSeconds + SKEW.toSeconds()) {
            throw Rejection.invalidGrant("the assertion is not valid yet (nbf " + claims.get("nbf") + ", now " + nowSeconds + ")");
        }
        if (iat > nowSeconds + SKEW.toSeconds()) {
            throw Rejection.invalidGrant("iat " + iat + " is in the future (now " + nowSeconds + ")");
        }
        if (exp - iat > MAX_LIFETIME.toSeconds()) {
            throw Rejection.invalidGrant("the assertion lives " + (exp - iat) + " s, more than " + MAX_LIFETIME.toSeconds() + " s");
        }
    }

    private static long numericDate(JsonNode claims, String name) throws Rejection {
        JsonNode v = claims.get(name);
        if (v == null || !v.isNumber()) {
            throw Rejection.invalidGrant(name + " is missing or not a NumericDate");
        }
        return v.asLong();
    }

    private boolean signatureValid(byte[] signed, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(client.publicKey());
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private JsonNode object(String part, String what) throws Rejection {
        try {
            JsonNode node = json.readTree(decode(part, what));
            if (node == null || !node.isObject()) {
                throw Rejection.invalidRequest("the JWS " + what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw Rejection.invalidRequest("the JWS " + what + " is not JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static byte[] decode(String part, String what) throws Rejection {
        if (part.indexOf('=') >= 0) {
            throw Rejection.invalidRequest("the JWS " + what + " is padded; compact JWS uses base64url without padding");
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw Rejection.invalidRequest("the JWS " + what + " is not base64url: " + e.getMessage());
        }
    }
}
