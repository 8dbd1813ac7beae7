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
 * before waiting sync calls, and the last {@code reserve-percent} of a window's slots are theirs alone.
 * <p>
 * A sync also spreads its calls over the window: at most {@code burst-percent} of its slots go at once, the rest at an
 * even pace (no more of its calls may be younger than {@code a} than the burst plus the rest's share of {@code a}). A
 * window full of a single burst frees nothing until the burst ages out, and provisioning beyond the reserve would wait
 * for that (30 s in the benchmark); spread, some of the sync's calls age out every moment, and provisioning, served
 * first, takes those slots. A sync that fits in one window's burst is not slowed at all.
 */
@Component("seismicBudget")
public class RateBudget {
    public static final String PRIORITY = "seismicPriority";

    private final int limit;
    private final int syncLimit;
    private final long windowNanos;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition changed = lock.newCondition();
    private final int burst;
    private final Deque<Long> sent = new ArrayDeque<>();
    private final Deque<Long> syncSent = new ArrayDeque<>();
    private long pausedUntil;
    private int highWaiting;

    @Autowired
    public RateBudget(SeismicProperties seismic) {
        this(seismic.rateLimit().calls(), seismic.rateLimit().window(), seismic.rateLimit().margin(), seismic.rateLimit().reservePercent(),
                seismic.rateLimit().burstPercent());
    }

    /** A budget whose syncs may spend their whole window at once (burst 100 %). */
    public RateBudget(int limit, Duration window, Duration margin, int reservePercent) {
        this(limit, window, margin, reservePercent, 100);
    }

    public RateBudget(int limit, Duration window, Duration margin, int reservePercent, int burstPercent) {
        this.limit = limit;
        int reserve = (int) Math.ceil(limit * Math.max(0, Math.min(reservePercent, 99)) / 100.0);
        this.syncLimit = Math.max(1, limit - reserve);
        this.burst = Math.max(1, (int) Math.floor(syncLimit * Math.max(1, Math.min(burstPercent, 100)) / 100.0));
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
                    long wait = tryAcquire(high, System.nanoTime());
                    if (wait == 0) {
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
     * Books a call at {@code now} and answers 0, or answers how long to wait before asking again. Holds the lock.
     * Package-private so that the pacing can be driven on a simulated clock.
     */
    long tryAcquire(boolean high, long now) {
        evict(now);
        if (now < pausedUntil) {
            return pausedUntil - now; // a 429 is honoured even with pacing off
        }
        if (limit <= 0) {
            return 0;
        }
        if (sent.size() >= (high ? limit : syncLimit)) {
            return sent.peekFirst() + windowNanos - now;
        }
        if (!high) {
            if (highWaiting > 0) {
                return TimeUnit.MILLISECONDS.toNanos(50);
            }
            long spread = spreadWait(now);
            if (spread > 0) {
                return spread;
            }
            syncSent.addLast(now);
        }
        sent.addLast(now);
        return 0;
    }

    /**
     * How long a sync call must wait so that, counting it, no more of the sync's calls are younger than any age
     * {@code a} than {@code burst + (syncLimit - burst) * a / window}; 0 when it may go now.
     */
    private long spreadWait(long now) {
        if (burst >= syncLimit) {
            return 0;
        }
        double pace = (double) (syncLimit - burst) / windowNanos; // slots per nanosecond after the burst
        int remaining = syncSent.size();
        long wait = 0;
        int younger = 1; // the call asked for, age 0 (burst is at least 1)
        for (var it = syncSent.descendingIterator(); it.hasNext(); remaining--) {
            long age = now - it.next();
            younger++;
            double allowed = burst + pace * age;
            if (younger > allowed) {
                wait = Math.max(wait, (long) Math.ceil((younger - burst) / pace) - age);
            } else if (allowed - younger >= remaining - 1) {
                break; // each older call adds one and the bound only grows: no later violation possible
            }
        }
        return wait;
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
        while (!syncSent.isEmpty() && syncSent.peekFirst() <= now - windowNanos) {
            syncSent.pollFirst();
        }
    }
}
