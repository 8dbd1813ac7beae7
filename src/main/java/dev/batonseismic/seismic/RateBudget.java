package dev.batonseismic.seismic;

import org.springframework.beans.factory.annotation.Autowired;
import dev.batonseismic.config.SeismicProperties;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The {@code seismicBudget} bean, the client-side pacer: Seismic allows {@code seismic.rate-limit.calls} per rolling {@code window} per tenant, shared
 * by syncs and provisioning. Every API call first takes a slot here. The budget mirrors Seismic's rolling window,
 * follows {@code X-Seismic-Remaining-Calls} when Seismic counts more calls than we made (other clients of the tenant),
 * and stops everyone for the time a 429 names. Calls marked {@code seismicPriority=high} (provisioning) are served
 * before waiting sync calls, and the last {@code reserve-percent} of a window's slots are theirs alone: a sync that spends its
 * window in one burst still leaves provisioning room, instead of making it wait for the burst to age out.
 */
@Component("seismicBudget")
public class RateBudget {
    public static final String PRIORITY = "seismicPriority";

    private final int limit;
    private final int syncLimit;
    private final long windowNanos;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition changed = lock.newCondition();
    private final Deque<Long> sent = new ArrayDeque<>();
    private long pausedUntil;
    private int highWaiting;

    @Autowired
    public RateBudget(SeismicProperties seismic) {
        this(seismic.rateLimit().calls(), seismic.rateLimit().window(), seismic.rateLimit().margin(), seismic.rateLimit().reservePercent());
    }

    public RateBudget(int limit, Duration window, Duration margin, int reservePercent) {
        this.limit = limit;
        int reserve = (int) Math.ceil(limit * Math.max(0, Math.min(reservePercent, 99)) / 100.0);
        this.syncLimit = Math.max(1, limit - reserve);
        this.windowNanos = window.plus(margin).toNanos();
    }

    /** Blocks until a call may be sent, then counts it. A limit of 0 or less switches pacing off (429 pauses still hold). */
    public void acquire(Exchange exchange) throws InterruptedException {
        boolean high = "high".equals(exchange.getProperty(PRIORITY, String.class));
        acquire(high);
    }

    public void acquire(boolean high) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (high) {
                highWaiting++;
            }
            try {
                while (true) {
                    long now = System.nanoTime();
                    evict(now);
                    long wait = 0;
                    if (now < pausedUntil) {
                        wait = pausedUntil - now; // a 429 is honoured even with pacing off
                    } else if (limit <= 0) {
                        return;
                    } else if (sent.size() >= (high ? limit : syncLimit)) {
                        wait = sent.peekFirst() + windowNanos - now;
                    } else if (!high && highWaiting > 0) {
                        wait = TimeUnit.MILLISECONDS.toNanos(50);
                    } else {
                        sent.addLast(now);
                        return;
                    }
                    changed.awaitNanos(Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1)));
                }
            } finally {
                if (high) {
                    highWaiting--;
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Aligns with Seismic's count: when it reports fewer remaining calls than we think we have, the difference was
     * spent by someone else on this tenant, and is booked now.
     */
    public void observeRemaining(int remaining) {
        if (limit <= 0) {
            return;
        }
        lock.lock();
        try {
            long now = System.nanoTime();
            evict(now);
            int ours = limit - sent.size();
            for (int i = remaining; i < ours; i++) {
                sent.addLast(now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** After a 429: nobody sends for this long. */
    public void pauseFor(Duration wait) {
        lock.lock();
        try {
            pausedUntil = Math.max(pausedUntil, System.nanoTime() + wait.toNanos());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void evict(long now) {
        while (!sent.isEmpty() && sent.peekFirst() <= now - windowNanos) {
            sent.pollFirst();
        }
    }
}
