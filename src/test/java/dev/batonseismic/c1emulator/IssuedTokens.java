package dev.batonseismic.c1emulator;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The access tokens the token endpoint handed out, each with its expiry; revoked ones are remembered as such. */
final class IssuedTokens {
    /** What a presented token is. */
    enum Verdict { VALID, UNKNOWN, REVOKED, EXPIRED }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> live = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    String issue(Instant now, Duration lifetime) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "c1emu_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        live.put(token, now.plus(lifetime));
        return token;
    }

    Verdict check(String token, Instant now) {
        Instant expiry = live.get(token);
        if (expiry != null) {
            return now.isBefore(expiry) ? Verdict.VALID : Verdict.EXPIRED;
        }
        return revoked.contains(token) ? Verdict.REVOKED : Verdict.UNKNOWN;
    }

    synchronized void revokeAll() {
        revoked.addAll(live.keySet());
        live.clear();
    }
}
