package dev.batonseismic.c1;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness in service mode: has ConductorOne accepted the connector? Down, with the reason, while no Hello was
 * answered or after the credentials were rejected (e.g. "ConductorOne rejected the client credentials …: HTTP 401
 * invalid_client"); up once C1 answers, even while a later poll fails (the REST API still serves). Reads the state the
 * poll loop keeps: no call per probe. Up with {@code state: OFF} when service mode is off.
 */
@Component("c1HealthIndicator") // health component "c1"
public class C1Health implements HealthIndicator {
    private final C1Connection connection;

    public C1Health(C1Connection connection) {
        this.connection = connection;
    }

    @Override
    public Health health() {
        String reason = connection.notReadyReason();
        Health.Builder h = reason == null ? Health.up() : Health.down().withDetail("reason", reason);
        return h.withDetail("state", connection.state().name()).build();
    }
}
