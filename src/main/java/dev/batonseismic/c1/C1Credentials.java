package dev.batonseismic.c1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * ConductorOne's client credentials, parsed and checked ({@code BATON_CLIENT_ID}, {@code BATON_CLIENT_SECRET}), and the
 * client assertion they sign (baton-sdk {@code pkg/ugrpc/c1_credential_provider.go}). The client id is {@code <client-name>@<token-host>/<suffix>}; the secret is
 * {@code secret-token:conductorone.com:v1:<base64url JWK>} holding an Ed25519 private key. {@link #toString()} and every
 * error leave the secret out.
 */
public final class C1Credentials {
    /** How long an assertion is valid on either side of its issue time. */
    static final Duration ASSERTION_SKEW = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** DER prefixes of an Ed25519 key (RFC 8410): PKCS#8 for the 32-byte private seed, X.509 for the public key. */
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");

    private final String clientId;
    private final String clientName;
    private final String tokenHost;
    private final PrivateKey key;
    private final String keyId;

    private C1Credentials(String clientId, String clientName, String tokenHost, SigningKey key) {
        this.clientId = clientId;
        this.clientName = clientName;
        this.tokenHost = tokenHost;
        this.key = key.key();
        this.keyId = key.id();
    }

    /** The secret's key, and its JWK {@code kid} (null without one), which the assertion's header names as go-jose does. */
    private record SigningKey(PrivateKey key, String id) {}

    /** Parses both; every problem is one sentence naming the variable and the part that is wrong, never the secret. */
    public static C1Credentials parse(String clientId, String clientSecret) {
        List<String> problems = new ArrayList<>();
        String[] id = clientIdParts(clientId, problems);
        SigningKey key = signingKey(clientSecret, problems);
        if (!problems.isEmpty()) {
            throw new C1CredentialsException(problems);
        }
        return new C1Credentials(clientId.trim(), id[0], id[1], key);
    }

    /** The whole client id: issuer and subject of the assertion, and {@code client_id} of the token request. */
    public String clientId() {
        return clientId;
    }

    /** The part before {@code @}: the start of the user agent. */
    public String clientName() {
        return clientName;
    }

    /** The part between {@code @} and {@code /}: token and API host (possibly with a port), unless BATON_C1_API_HOST says otherwise. */
    public String tokenHost() {
        return tokenHost;
    }

    /** The assertion's audience: the token host without a port. */
    public String audience() {
        return HostAndPort.parse(tokenHost, 443).host();
    }

    /**
     * A compact JWS ({@code alg} EdDSA, the key's {@code kid} if it has one, a random nonce) over the claims
     * {@code iss} = {@code sub} = the client id, {@code aud} = {@link #audience()}, {@code iat} now, {@code nbf} and
     * {@code exp} {@link #ASSERTION_SKEW} either side.
     */
    public String assertion(Instant now) {
        ObjectNode header = JSON.createObjectNode().put("alg", "EdDSA");
        if (keyId != null) {
            header.put("kid", keyId);
        }
        header.put("nonce", B64URL.encodeToString(randomBytes(16)));
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", clientId)
                .put("sub", clientId)
                .put("aud", audience())
                .put("exp", now.plus(ASSERTION_SKEW).getEpochSecond())
                .put("iat", now.getEpochSecond())
                .put("nbf", now.minus(ASSERTION_SKEW).getEpochSecond());
        try {
            String signingInput = B64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(signer.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the ConductorOne client assertion: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "C1Credentials[clientId=" + clientId + ", secret=(hidden)]";
    }

    private static String[] clientIdParts(String clientId, List<String> problems) {
        String expected = " expected <client-name>@<tenant-host>/<suffix>, e.g. happy-otter-123@acme.conductor.one/pcc";
        String v = clientId == null ? "" : clientId.trim();
        int at = v.indexOf('@');
        if (at < 0) {
            problems.add("BATON_CLIENT_ID is malformed: it has no '@';" + expected + ".");
            return new String[2];
        }
        int slash = v.indexOf('/', at + 1);
        String name = v.substring(0, at);
        String host = slash < 0 ? v.substring(at + 1) : v.substring(at + 1, slash);
        if (v.chars().anyMatch(Character::isWhitespace)) {
            problems.add("BATON_CLIENT_ID is malformed: it contains whitespace.");
        } else if (name.isEmpty()) {
            problems.add("BATON_CLIENT_ID is malformed: the client name before '@' is empty;" + expected + ".");
        } else if (slash < 0) {
            problems.add("BATON_CLIENT_ID is malformed: there is no '/<suffix>' after the tenant host;" + expected + ".");
        } else if (host.isEmpty()) {
            problems.add("BATON_CLIENT_ID is malformed: the tenant host between '@' and '/' is empty;" + expected + ".");
        } else if (!HostAndPort.valid(host)) {
            problems.add("BATON_CLIENT_ID is malformed: its tenant host is not a host name with an optional port.");
        }
        return new String[] {name, host};
    }

    private static SigningKey signingKey(String secret, List<String> problems) {
        String v = secret == null ? "" : secret.trim();
        if (v.isEmpty()) {
            problems.add("BATON_CLIENT_SECRET is not set: with BATON_CLIENT_ID it is required (the secret ConductorOne showed "
                    + "next to the client id).");
            return null;
        }
        String expected = "expected secret-token:conductorone.com:v1:<key>, as ConductorOne shows it";
        String[] parts = v.split(":", 4);
        if (parts.length != 4) {
            problems.add("BATON_CLIENT_SECRET is malformed: it has " + parts.length + " ':'-separated parts, not 4; " + expected + ".");
            return null;
        }
        if (!parts[2].equals("v1")) {
            problems.add("BATON_CLIENT_SECRET is malformed: its third part (the version) is not v1; " + expected + ".");
            return null;
        }
        JsonNode jwk;
        try {
            jwk = JSON.readTree(Base64.getUrlDecoder().decode(parts[3]));
        } catch (IllegalArgumentException e) {
            problems.add("BATON_CLIENT_SECRET is malformed: its key part is not base64url.");
            return null;
        } catch (IOException e) {
            problems.add("BATON_CLIENT_SECRET is malformed: its key part does not decode to a JSON Web Key.");
            return null;
        }
        if (jwk == null || !jwk.isObject()) {
            problems.add("BATON_CLIENT_SECRET is malformed: its key part does not decode to a JSON Web Key.");
            return null;
        }
        if (!"OKP".equals(jwk.path("kty").asText()) || !"Ed25519".equals(jwk.path("crv").asText())) {
            problems.add("BATON_CLIENT_SECRET is malformed: its key is not an Ed25519 key (kty OKP, crv Ed25519).");
            return null;
        }
        byte[] d = decodeMember(jwk, "d");
        byte[] x = decodeMember(jwk, "x");
        if (d == null) {
            problems.add("BATON_CLIENT_SECRET is malformed: its key has no private part (d); a public key cannot sign.");
            return null;
        }
        if (d.length != 32 || (x != null && x.length != 32)) {
            problems.add("BATON_CLIENT_SECRET is malformed: its key's d or x is not 32 bytes of base64url.");
            return null;
        }
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, d)));
            if (x != null && !matches(key, KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, x))))) {
                problems.add("BATON_CLIENT_SECRET is malformed: its key's public part (x) does not belong to its private part (d).");
                return null;
            }
            return new SigningKey(key, jwk.path("kid").isTextual() ? jwk.get("kid").asText() : null);
        } catch (GeneralSecurityException e) {
            problems.add("BATON_CLIENT_SECRET is malformed: its key is not a usable Ed25519 key.");
            return null;
        }
    }

    private static boolean matches(PrivateKey key, PublicKey pub) throws GeneralSecurityException {
        byte[] probe = randomBytes(32);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(pub);
        v.update(probe);
        return v.verify(sig);
    }

    private static byte[] decodeMember(JsonNode jwk, String name) {
        if (!jwk.path(name).isTextual()) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(jwk.get(name).asText());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
