package dev.batonseismic.seismic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class RateBudgetTest {

    @Test
    void neverMoreThanTheLimitInAnyWindow() throws Exception {
        RateBudget budget = new RateBudget(5, Duration.ofMillis(400), Duration.ZERO, 0);
        List<Long> sent = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 12; i++) {
            pool.submit(() -> {
                budget.acquire(false);
                sent.add(System.nanoTime());
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        List<Long> sorted = sent.stream().sorted().toList();
        assertThat(sorted).hasSize(12);
        for (int i = 5; i < sorted.size(); i++) {
            assertThat(sorted.get(i) - sorted.get(i - 5)).as("call %d vs call %d", i, i - 5)
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(395));
        }
    }

    @Test
    void seismicsRemainingCountBooksCallsOthersMade() throws Exception {
        RateBudget budget = new RateBudget(3, Duration.ofSeconds(30), Duration.ZERO, 0);
        budget.acquire(false);
        budget.observeRemaining(0); // someone else used the rest of the window
        Thread t = new Thread(() -> take(budget, false, "late", new CopyOnWriteArrayList<>()));
        t.start();
        Awaitility.await().until(() -> t.getState() == Thread.State.TIMED_WAITING);
        assertThat(t.isAlive()).as("blocked until the window rolls").isTrue();
        t.interrupt();
    }

    @Test
    void a429PauseHoldsEvenWithPacingOff() throws Exception {
        RateBudget budget = new RateBudget(0, Duration.ofSeconds(60), Duration.ZERO, 0);
        budget.pauseFor(Duration.ofMillis(300));
        long start = System.nanoTime();
        budget.acquire(false);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(290));
    }

    @Test
    void highPriorityCallsGoFirst() throws Exception {
        RateBudget budget = new RateBudget(1, Duration.ofMillis(300), Duration.ZERO, 0);
        budget.acquire(false); // the window is now full
        List<String> order = new CopyOnWriteArrayList<>();
        Thread low = new Thread(() -> take(budget, false, "low", order));
        low.start();
        Awaitility.await().until(() -> low.getState() == Thread.State.TIMED_WAITING);
        Thread high = new Thread(() -> take(budget, true, "high", order));
        high.start();
        low.join(3000);
        high.join(3000);
        assertThat(order).containsExactly("high", "low");
    }

    private static void take(RateBudget budget, boolean high, String name, List<String> order) {
        try {
            budget.acquire(high);
            order.add(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theLastSlotsOfAWindowAreKeptForProvisioning() throws Exception {
        RateBudget budget = new RateBudget(10, Duration.ofSeconds(30), Duration.ZERO, 20);
        for (int i = 0; i < 8; i++) {
            budget.acquire(false);
        }
        List<String> order = new CopyOnWriteArrayList<>();
        Thread sync = new Thread(() -> take(budget, false, "sync", order));
        sync.start();
        Awaitility.await().until(() -> sync.getState() == Thread.State.TIMED_WAITING);
        budget.acquire(true);
        budget.acquire(true);
        assertThat(order).as("a sync call waits for the window while provisioning takes the reserve").isEmpty();
        assertThat(sync.isAlive()).isTrue();
        sync.interrupt();
    }
}
