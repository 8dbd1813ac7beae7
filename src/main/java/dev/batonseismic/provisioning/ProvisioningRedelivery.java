package dev.batonseismic.provisioning;

import dev.batonseismic.config.ProvisioningProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides what a Kafka or JMS request whose result is a transient failure (Seismic unreachable, 5xx or 429 after the
 * call's own retries) becomes: delivered again later (the message stays on its queue or topic), or, after
 * {@code provisioning.redelivery.max-deliveries} deliveries, its FAILED result and a dead letter with the reason.
 * <p>
 * Sets the exchange property {@code provisioningRedeliver} (and, for Kafka, {@code provisioningRedeliveryDelayMs});
 * on the last delivery it replaces the body by the final result.
 */
@Component("provisioningRedelivery")
public class ProvisioningRedelivery {
    public static final String REDELIVER = "provisioningRedeliver";
    public static final String DELAY = "provisioningRedeliveryDelayMs";
    private static final Logger log = LoggerFactory.getLogger(ProvisioningRedelivery.class);
    private static final int TRACKED = 10_000;

    private final int maxDeliveries;
    private final Duration initialDelay;
    private final Duration maxDelay;
    /** Deliveries so far of Kafka records that failed transiently, by topic-partition-offset (Kafka has no delivery count). */
    private final Map<String, Integer> kafkaDeliveries = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > TRACKED;
        }
    };

    public ProvisioningRedelivery(ProvisioningProperties provisioning) {
        this.maxDeliveries = provisioning.redelivery().maxDeliveries();
        this.initialDelay = provisioning.redelivery().initialDelay();
        this.maxDelay = provisioning.redelivery().maxDelay();
    }

    /** JMS: the broker counts deliveries ({@code JMSXDeliveryCount}) and waits between them (its redelivery delay). */
    public void jms(Exchange ex) {
        int delivery = ex.getMessage().getHeader("JMSXDeliveryCount", 1, Integer.class);
        decide(ex, delivery, "queue");
    }

    /** Kafka: deliveries counted here per record; the wait before the record is read again is the exponential backoff. */
    public void kafka(Exchange ex) {
        String key = ex.getProperty("provisioningKafkaRecord", String.class);
        int delivery;
        synchronized (kafkaDeliveries) {
            delivery = kafkaDeliveries.merge(key, 1, Integer::sum);
            if (delivery >= maxDeliveries) {
                kafkaDeliveries.remove(key);
            }
        }
        ex.setProperty(DELAY, delay(delivery).toMillis());
        decide(ex, delivery, "topic");
    }

    /** A Kafka record that got a final result: forget its count. */
    public void kafkaDone(Exchange ex) {
        synchronized (kafkaDeliveries) {
            kafkaDeliveries.remove(ex.getProperty("provisioningKafkaRecord", String.class));
        }
    }

    /** Wait before delivery {@code n + 1}: initial-delay doubled per delivery, at most max-delay. */
    public Duration delay(int delivery) {
        long ms = initialDelay.toMillis() << Math.min(Math.max(delivery - 1, 0), 20);
        return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
    }

    public int maxDeliveries() {
        return maxDeliveries;
    }

    private void decide(Exchange ex, int delivery, String where) {
        ProvisioningResult result = ex.getMessage().getBody(ProvisioningResult.class);
        if (delivery < maxDeliveries) {
            ex.setProperty(REDELIVER, true);
            log.warn("Provisioning request {} stays on its {} for another delivery ({} of {}): {}", result.requestId(), where,
                    delivery, maxDeliveries, result.message());
            return;
        }
        ex.setProperty(REDELIVER, false);
        ex.getMessage().setBody(result.exhausted("Seismic stayed unavailable for " + delivery + " deliveries; dead-lettered: "));
    }
}
