package dev.batonseismic.c1emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * The one C1 client the emulator knows: an Ed25519 key pair made at start, the client id
 * {@code <name>@<token host>/pcc} and the client secret {@code secret-token:conductorone.com:v1:<JWK>} carrying
 * the private key, in the format baton-sdk's {@code pkg/crypto/client_secret.go} reads.
 */
final class ClientCredentials {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;
    private final String clientId;
    private final String tokenHost;

    ClientCredentials(String clientName, String tokenHost) {
        try {
            this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
        }
        this.tokenHost = tokenHost;
        this.clientId = clientName + "@" + tokenHost + "/pcc";
    }

    String clientId() {
        return clientId;
    }

    /** The client id's host, port included when it has one. */
    String tokenHost() {
        return tokenHost;
    }

    /** What the assertion's {@code aud} must be: the token host without a port. */
    String audience() {
        int colon = tokenHost.lastIndexOf(':');
        return colon < 0 || tokenHost.endsWith("]") ? tokenHost : tokenHost.substring(0, colon);
    }

    PublicKey publicKey() {
        return keys.getPublic();
    }

    String clientSecret() {
        String jwk = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" + B64URL.encodeToString(seed())
                + "\",\"x\":\"" + B64URL.encodeToString(last32(keys.getPublic().getEncoded())) + "\"}";
        return "secret-token:conductorone.com:v1:" + B64URL.encodeToString(jwk.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] seed() {
        return ((EdECPrivateKey) keys.getPrivate()).getBytes().orElseThrow();
    }

    /** The raw public key of a JDK Ed25519 key's X.509 encoding: its last 32 bytes. */
    private static byte[] last32(byte[] encoded) {
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }
}
