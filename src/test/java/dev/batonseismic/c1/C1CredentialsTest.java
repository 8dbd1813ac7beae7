package dev.batonseismic.c1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Client id and secret as ConductorOne issues them, the errors for malformed ones, and the signed assertion. */
class C1CredentialsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final String ID = "happy-otter-123@acme.conductor.one/pcc";

    static KeyPair keys() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** The raw 32-byte keys are the last 32 bytes of the JDK's PKCS#8 and X.509 encodings. */
    static String secret(KeyPair keys, String kty, boolean withD) {
        byte[] d = Arrays.copyOfRange(keys.getPrivate().getEncoded(), keys.getPrivate().getEncoded().length - 32, keys.getPrivate().getEncoded().length);
        byte[] x = Arrays.copyOfRange(keys.getPublic().getEncoded(), keys.getPublic().getEncoded().length - 32, keys.getPublic().getEncoded().length);
        String jwk = "{\"kty\":\"" + kty + "\",\"crv\":\"Ed25519\"," + (withD ? "\"d\":\"" + B64.encodeToString(d) + "\"," : "")
                + "\"x\":\"" + B64.encodeToString(x) + "\"}";
        return "secret-token:conductorone.com:v1:" + B64.encodeToString(jwk.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theAssertionIsAnEdDsaJwsOfTheClientIdForTheTokenHost() throws Exception {
        KeyPair keys = keys();
        C1Credentials c = C1Credentials.parse(ID, secret(keys, "OKP", true));
        assertThat(c.clientName()).isEqualTo("happy-otter-123");
        assertThat(c.tokenHost()).isEqualTo("acme.conductor.one");
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        String[] jws = c.assertion(now).split("\\.");
        assertThat(jws).hasSize(3);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jws[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jws[1]));
        assertThat(header.get("alg").asText()).isEqualTo("EdDSA");
        assertThat(Base64.getUrlDecoder().decode(header.get("nonce").asText())).hasSize(16);
        assertThat(claims.get("iss").asText()).isEqualTo(ID);
        assertThat(claims.get("sub").asText()).isEqualTo(ID);
        assertThat(claims.get("aud").asText()).isEqualTo("acme.conductor.one");
        assertThat(claims.get("iat").asLong()).isEqualTo(now.getEpochSecond());
        assertThat(claims.get("nbf").asLong()).isLessThan(now.getEpochSecond());
        assertThat(claims.get("exp").asLong()).isGreaterThan(now.getEpochSecond()).isLessThanOrEqualTo(now.getEpochSecond() + 600);
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(keys.getPublic());
        v.update((jws[0] + "." + jws[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(v.verify(Base64.getUrlDecoder().decode(jws[2]))).isTrue();
        assertThat(c.toString()).doesNotContain("secret-token");
    }

    @Test
    void theKeysIdIsNamedInTheHeaderAsGoJoseDoes() throws Exception {
        String secret = secret(keys(), "OKP", true);
        String jwk = new String(Base64.getUrlDecoder().decode(secret.substring(secret.lastIndexOf(':') + 1)));
        String withKid = "secret-token:conductorone.com:v1:" + B64.encodeToString(jwk.replace("{", "{\"kid\":\"key-7\",").getBytes());
        String header = C1Credentials.parse(ID, withKid).assertion(Instant.now()).split("\\.")[0];
        assertThat(JSON.readTree(Base64.getUrlDecoder().decode(header)).get("kid").asText()).isEqualTo("key-7");
        assertThat(JSON.readTree(Base64.getUrlDecoder().decode(C1Credentials.parse(ID, secret).assertion(Instant.now()).split("\\.")[0]))
                .has("kid")).isFalse();
    }

    @Test
    void nextHeartbeatIsReadAsBatonSdkReadsIt() {
        assertThat(C1Tasks.heartbeatInterval(null)).hasSeconds(30);
        assertThat(C1Tasks.heartbeatInterval(com.google.protobuf.Duration.getDefaultInstance())).as("zero").hasSeconds(30);
        assertThat(C1Tasks.heartbeatInterval(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000).build())).hasSeconds(1);
        assertThat(C1Tasks.heartbeatInterval(com.google.protobuf.Duration.newBuilder().setSeconds(45).build())).hasSeconds(45);
        assertThat(C1Tasks.heartbeatInterval(com.google.protobuf.Duration.newBuilder().setSeconds(3600).build())).hasMinutes(5);
    }

    @Test
    void aTokenHostWithAPortIsAnAudienceWithout() throws Exception {
        C1Credentials c = C1Credentials.parse("x@127.0.0.1:8443/pcc", secret(keys(), "OKP", true));
        assertThat(c.tokenHost()).isEqualTo("127.0.0.1:8443");
        assertThat(c.audience()).isEqualTo("127.0.0.1");
        assertThat(HostAndPort.parse(c.tokenHost(), 443)).isEqualTo(new HostAndPort("127.0.0.1", 8443));
        assertThat(HostAndPort.parse("acme.conductor.one", 443).toString()).isEqualTo("acme.conductor.one:443");
        assertThat(HostAndPort.parse("[::1]:9", 443)).isEqualTo(new HostAndPort("::1", 9));
        assertThat(HostAndPort.valid("host:70000")).isFalse();
        assertThat(HostAndPort.valid("host name")).isFalse();
    }

    @Test
    void aMalformedClientIdIsNamedWithThePartThatIsWrong() throws Exception {
        String secret = secret(keys(), "OKP", true);
        assertThatThrownBy(() -> C1Credentials.parse("acme.conductor.one/pcc", secret))
                .hasMessageStartingWith("BATON_CLIENT_ID is malformed: it has no '@'");
        assertThatThrownBy(() -> C1Credentials.parse("otter@acme.conductor.one", secret))
                .hasMessageStartingWith("BATON_CLIENT_ID is malformed: there is no '/<suffix>'");
        assertThatThrownBy(() -> C1Credentials.parse("otter@/pcc", secret))
                .hasMessageStartingWith("BATON_CLIENT_ID is malformed: the tenant host between '@' and '/' is empty");
        assertThatThrownBy(() -> C1Credentials.parse("@acme.conductor.one/pcc", secret))
                .hasMessageStartingWith("BATON_CLIENT_ID is malformed: the client name before '@' is empty");
    }

    @Test
    void aMalformedSecretIsNamedWithThePartThatIsWrongAndNeverShown() throws Exception {
        KeyPair keys = keys();
        String good = secret(keys, "OKP", true);
        String key = good.substring(good.lastIndexOf(':') + 1);
        assertMalformed("secret-token:conductorone.com:" + key, "it has 3 ':'-separated parts, not 4");
        assertMalformed("secret-token:conductorone.com:v2:" + key, "its third part (the version) is not v1");
        assertMalformed("secret-token:conductorone.com:v1:%%%not-base64%%%", "its key part is not base64url");
        assertMalformed("secret-token:conductorone.com:v1:" + B64.encodeToString("not json".getBytes()), "does not decode to a JSON Web Key");
        assertMalformed(secret(keys, "EC", true), "not an Ed25519 key");
        assertMalformed(secret(keys, "OKP", false), "has no private part (d)");
        String mismatched = secret(keys(), "OKP", true);
        String otherX = JSON.readTree(Base64.getUrlDecoder().decode(key)).get("x").asText();
        JsonNode jwk = JSON.readTree(Base64.getUrlDecoder().decode(mismatched.substring(mismatched.lastIndexOf(':') + 1)));
        ((com.fasterxml.jackson.databind.node.ObjectNode) jwk).put("x", otherX);
        assertMalformed("secret-token:conductorone.com:v1:" + B64.encodeToString(JSON.writeValueAsBytes(jwk)),
                "its key's public part (x) does not belong to its private part (d)");
        assertThatThrownBy(() -> C1Credentials.parse(ID, "")).hasMessageStartingWith("BATON_CLIENT_SECRET is not set");
    }

    private static void assertMalformed(String secret, String part) {
        assertThatThrownBy(() -> C1Credentials.parse(ID, secret))
                .isInstanceOf(C1CredentialsException.class)
                .hasMessageStartingWith("BATON_CLIENT_SECRET is malformed: ")
                .hasMessageContaining(part)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.substring(secret.lastIndexOf(':') + 1)));
    }
}
