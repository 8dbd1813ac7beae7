package dev.batonseismic.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code provisioning.*}: whether provisioning is on ({@code enabled}, BATON_PROVISIONING, checked by
 * {@link SettingsConfiguration}), how users are deleted, and the REST, JMS and Kafka doors with their redelivery.
 */
@Validated
@ConfigurationProperties("provisioning")
public record ProvisioningProperties(
        String enabled,
        @Pattern(regexp = "delete|deactivate", message = "delete or deactivate") String deleteMode,
        @Min(0) @Max(10_000_000) Integer resultsCacheSize,
        @Min(1024) @Max(10 * 1024 * 1024) Integer maxRequestBytes,
        @Valid Redelivery redelivery,
        @Valid Jms jms,
        @Valid Kafka kafka) {

    /** A queued request that meets an unavailable Seismic comes back up to {@code maxDeliveries} times, backing off. */
    public record Redelivery(@Min(1) @Max(10_000) Integer maxDeliveries, @DurationMin(nanos = 0) Duration initialDelay,
                             @DurationMin(nanos = 0) Duration maxDelay) {}

    /** The JMS door (embedded Artemis unless configured otherwise). */
    public record Jms(Boolean enabled, String requestsQueue, String resultsQueue, String deadLetterQueue,
                      @Min(1) @Max(1000) Integer concurrentConsumers) {}

    /** The Kafka door: on when {@code brokers} is set (or {@code enabled} says so). */
    public record Kafka(Boolean enabled, String brokers, String groupId, String requestsTopic, String resultsTopic,
                        String deadLetterTopic, String replayGroupId) {}
}
