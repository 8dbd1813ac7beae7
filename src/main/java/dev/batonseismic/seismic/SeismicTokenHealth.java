package dev.batonseismic.seismic;

import dev.batonseismic.config.SeismicProperties;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: can the connector get a Seismic token? Uses the cached token (no call per probe); without one it asks
 * Seismic at most once per {@code seismic.health.retry-after}, and when refused says why, e.g.
 * "Seismic refused the token request: invalid_client (…); check BATON_SEISMIC_CLIENT_ID …".
 */
@Component("seismicTokenHealthIndicator") // health component "seismicToken"
public class SeismicTokenHealth implements HealthIndicator {
    private final SeismicToken token;
    private final Duration retryAfter;
    private volatile String lastFailure;
    private volatile Instant lastFailureAt = Instant.EPOCH;

    public SeismicTokenHealth(SeismicToken token, SeismicProperties seismic) {
        this.token = token;
        this.retryAfter = seismic.health().retryAfter();
    }

    @Override
    public Health health() {
        if (!token.hasUsableToken() && lastFailure != null && Instant.now().isBefore(lastFailureAt.plus(retryAfter))) {
            return Health.down().withDetail("reason", lastFailure).build();
        }
        try {
            SeismicToken.Cached c = token.current();
            lastFailure = null;
            return Health.up().withDetail("scopes", c.scopes()).withDetail("renewAt", c.renewAt().toString()).build();
        } catch (RuntimeException e) {
            lastFailure = e.getMessage();
            lastFailureAt = Instant.now();
            return Health.down().withDetail("reason", lastFailure).build();
        }
    }
}
