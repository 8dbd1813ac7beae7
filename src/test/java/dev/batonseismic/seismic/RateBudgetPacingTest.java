package dev.batonseismic.seismic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The budget's pacing on a simulated clock (no sleeping, nothing timed): the benchmark's documented regime, where a
 * 634-call sync runs on a window the previous sync spent (600 calls a minute, 5 % reserve, 100 ms a call, 16 calls in
 * flight) while 200 grants of two calls each are sent one after another.
 */
class RateBudgetPacingTest {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long LATENCY = 100 * MS;

    /** What one simulated run gives: the second sync's wall time and the longest a grant's call waited for a slot. */
    record Run(long syncWallMs, long longestGrantWaitMs, long firstSyncWallMs) {}

    static Run simulate(int burstPercent) {
        RateBudget budget = new RateBudget(600, Duration.ofSeconds(60), Duration.ofSeconds(1), 5, burstPercent);
        long now = 0;
        long firstSyncWall = sync(budget, now, 634, 0, null);
        now = firstSyncWall;
        long[] longestWait = {0};
        long wall = sync(budget, now, 634, 200, longestWait);
        return new Run(wall / MS, longestWait[0] / MS, firstSyncWall / MS);
    }

    /**
     * A sync of {@code calls} calls starting at {@code start} (16 in flight, each {@code LATENCY}), with {@code grants}
     * grants (two calls each, one after another) beside it; answers the sync's wall time.
     */
    static long sync(RateBudget budget, long start, int calls, int grants, long[] longestGrantWait) {
        long now = start;
        long[] inFlight = new long[16]; // when each slot's call is answered
        java.util.Arrays.fill(inFlight, start);
        int sent = 0;
        long lastAnswer = start;
        int grantCalls = grants * 2;
        long grantReadyAt = start; // when the next grant call is asked for
        long grantAskedAt = start;
        while (sent < calls || grantCalls > 0) {
            boolean grantDue = grantCalls > 0 && now >= grantReadyAt;
            if (grantDue) {
                long wait = budget.tryAcquire(true, now);
                if (wait == 0) {
                    longestGrantWait[0] = Math.max(longestGrantWait[0], now - grantAskedAt);
                    grantCalls--;
                    grantReadyAt = now + LATENCY;
                    grantAskedAt = grantReadyAt;
                    continue;
                }
            }
            int free = -1;
            for (int i = 0; i < inFlight.length; i++) {
                if (inFlight[i] <= now) {
                    free = i;
                    break;
                }
            }
            if (sent < calls && free >= 0 && !grantDue) {
                long wait = budget.tryAcquire(false, now);
                if (wait == 0) {
                    inFlight[free] = now + LATENCY;
                    lastAnswer = Math.max(lastAnswer, now + LATENCY);
                    sent++;
                    continue;
                }
            }
            now += MS; // a millisecond of simulated time
        }
        return lastAnswer - start;
    }

    @Test
    void aGrantNeverWaitsForABurstToAgeOutAndTheSyncIsNoSlower() {
        Run burst = simulate(100);
        Run spread = simulate(60);
        System.out.printf("burst 100%%: first sync %d ms, second sync %d ms, longest grant wait %d ms%n",
                burst.firstSyncWallMs(), burst.syncWallMs(), burst.longestGrantWaitMs());
        System.out.printf("burst 60%%: first sync %d ms, second sync %d ms, longest grant wait %d ms%n",
                spread.firstSyncWallMs(), spread.syncWallMs(), spread.longestGrantWaitMs());
        assertThat(burst.longestGrantWaitMs()).as("a sync's burst holds the whole window").isGreaterThan(10_000);
        assertThat(spread.longestGrantWaitMs()).as("spread, some sync calls age out every moment").isLessThan(2_000);
        assertThat(spread.firstSyncWallMs()).as("the first sync, on a fresh window").isLessThanOrEqualTo(burst.firstSyncWallMs() * 105 / 100);
    }

    @Test
    void aSyncThatFitsInItsBurstIsNotPaced() {
        RateBudget budget = new RateBudget(600, Duration.ofSeconds(60), Duration.ZERO, 5, 60);
        for (int i = 0; i < 342; i++) { // 60 % of the 570 sync slots
            assertThat(budget.tryAcquire(false, 0)).as("call %d", i).isZero();
        }
        long wait = budget.tryAcquire(false, 0);
        assertThat(wait).as("the next one waits its share of the window: 228 slots over 60 s").isBetween(250 * MS, 270 * MS);
        assertThat(budget.tryAcquire(true, 0)).as("provisioning does not").isZero();
    }
}
