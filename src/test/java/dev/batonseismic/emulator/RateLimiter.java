package dev.batonseismic.emulator;

import java.util.ArrayDeque;
import java.util.Deque;

/** Seismic's per-tenant limit: a rolling window of {@code rateLimit} calls per {@code rateWindowSeconds}. */
final class RateLimiter {
    /** The outcome of one call: admitted or not, calls left and made in the window, seconds to wait when refused. */
    record Decision(boolean admitted, int remaining, int total, long retryAfterSeconds, boolean enabled) {}

    private final EmulatorSettings settings;
    private final Deque<Long> admitted = new ArrayDeque<>();

    RateLimiter(EmulatorSettings settings) {
        this.settings = settings;
    }

    synchronized Decision acquire(long nowNanos) {
        int limit = settings.rateLimit;
        long window = settings.rateWindowSeconds * 1_000_000_000L;
        while (!admitted.isEmpty() && admitted.peekFirst() <= nowNanos - window) {
            admitted.pollFirst();
        }
        if (limit <= 0) {
            return new Decision(true, Integer.MAX_VALUE, admitted.size(), 0, false);
        }
        if (admitted.size() >= limit) {
            long waitNanos = admitted.peekFirst() + window - nowNanos;
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            return new Decision(false, 0, admitted.size(), seconds, true);
        }
        admitted.addLast(nowNanos);
        return new Decision(true, limit - admitted.size(), admitted.size(), 0, true);
    }

    synchronized void reset() {
        admitted.clear();
    }
}
