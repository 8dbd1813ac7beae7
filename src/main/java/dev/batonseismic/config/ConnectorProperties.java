package dev.batonseismic.config;

import jakarta.validation.Valid;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code connector.*}: where the routes and the connector's own data live, and how replicas elect the leader that runs
 * the scheduled sync (the Kubernetes Lease's details: {@code connector.cluster.kubernetes.*}; users and API keys:
 * {@code connector.security.*}).
 */
@Validated
@ConfigurationProperties("connector")
public record ConnectorProperties(String routesDir, String dataDir, @Valid Cluster cluster) {
    /** Leader election: {@code type} file (a lock file under {@code fileRoot}) or kubernetes (a Lease). */
    public record Cluster(Boolean enabled, String type, String fileRoot, @DurationMin(millis = 1) Duration acquireLockInterval) {}
}
