package dev.batonseismic.telemetry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code baton.otel.*}: baton's OpenTelemetry settings ({@code BATON_OTEL_COLLECTOR_ENDPOINT} and the others, as
 * ConductorOne/baton-sdk {@code pkg/field/defaults.go} names them). What each means is in application.yaml; the
 * endpoint and the certificate are checked by {@link TelemetrySettings#read}, which needs several settings at once.
 */
@Validated
@ConfigurationProperties("baton.otel")
public record TelemetryProperties(
        String collectorEndpoint,
        String collectorEndpointTlsCertPath,
        String collectorEndpointTlsCert,
        Boolean collectorEndpointTlsInsecure,
        Boolean tracingDisabled,
        Boolean loggingDisabled) {
}
