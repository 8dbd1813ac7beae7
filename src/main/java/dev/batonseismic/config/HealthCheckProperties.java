package dev.batonseismic.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code baton.health-check.*}: baton's plain health endpoint on a port of its own ({@code BATON_HEALTH_CHECK},
 * {@code BATON_HEALTH_CHECK_PORT}, {@code BATON_HEALTH_CHECK_BIND_ADDRESS}), beside the actuator's.
 */
@Validated
@ConfigurationProperties("baton.health-check")
public record HealthCheckProperties(Boolean enabled, @Min(0) @Max(65535) Integer port, String bindAddress) {
}
