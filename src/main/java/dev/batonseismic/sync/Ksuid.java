package dev.batonseismic.sync;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;

/** Sync ids as baton makes them: KSUIDs, 27 base-62 characters (4-byte timestamp since 2014-05-13 + 16 random bytes). */
public final class Ksuid {
    private static final long EPOCH = 1_400_000_000L;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ksuid() {}

    public static String next(Instant at) {
        byte[] payload = new byte[16];
        RANDOM.nextBytes(payload);
        ByteBuffer raw = ByteBuffer.allocate(20).putInt((int) (at.getEpochSecond() - EPOCH)).put(payload);
        BigInteger n = new BigInteger(1, raw.array());
        BigInteger base = BigInteger.valueOf(62);
        char[] out = new char[27];
        for (int i = 26; i >= 0; i--) {
            BigInteger[] qr = n.divideAndRemainder(base);
            out[i] = ALPHABET.charAt(qr[1].intValue());
            n = qr[0];
        }
        return new String(out);
    }
}
