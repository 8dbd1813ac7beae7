package dev.batonseismic.seismic;

import dev.batonseismic.config.SyncProperties;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The {@code seismicInFlight} bean: at most {@code sync.concurrency} sync calls to Seismic in flight at once, however many listings are being paged in
 * parallel: {@link #acquire} before a call, {@link #release} after its answer (or failure). Provisioning calls
 * ({@code seismicPriority=high}) do not count and never wait here.
 */
@Component("seismicInFlight")
public class InFlightLimit {
    private static final String HOLDS = "seismicInFlightSlot";

    private final Semaphore slots;

    public InFlightLimit(SyncProperties sync) {
        this.slots = new Semaphore(Math.max(1, sync.concurrency()), true);
    }

    public void acquire(Exchange ex) throws InterruptedException {
        if ("high".equals(ex.getProperty(RateBudget.PRIORITY, String.class)) || ex.getProperty(HOLDS, false, Boolean.class)) {
            return;
        }
        slots.acquire();
        ex.setProperty(HOLDS, true);
    }

    public void release(Exchange ex) {
        if (ex.getProperty(HOLDS, false, Boolean.class)) {
            ex.removeProperty(HOLDS);
            slots.release();
        }
    }
}
