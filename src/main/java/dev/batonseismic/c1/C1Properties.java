package dev.batonseismic.c1;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code c1.*}: ConductorOne service mode. Values (and what each means) are in application.yaml; the ranges here are
 * checked at start-up, where a value out of range is one sentence naming its environment variable. The credentials and
 * the host are checked by {@link C1Settings#read}, which needs several settings at once.
 */
@Validated
@ConfigurationProperties("c1")
public record C1Properties(
        String clientId,
        String clientSecret,
        String hostId,
        String apiHost,
        @Min(1) @Max(64) Integer taskConcurrency,
        @DurationMin(nanos = 1) Duration callTimeout,
        @DurationMin(nanos = 1) Duration maxBackoff,
        @Min(0) @Max(100) Integer finishRetries,
        @Min(1) @Max(600_000) Integer finishRetryDelay,
        String tempDir) {

    @Override
    public String toString() {
        return "C1Properties[clientId=" + clientId + ", clientSecret=" + (clientSecret == null || clientSecret.isBlank() ? "" : "******")
                + ", hostId=" + hostId + ", apiHost=" + apiHost + ", taskConcurrency=" + taskConcurrency + "]";
    }
}
