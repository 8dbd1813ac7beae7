package dev.batonseismic.telemetry;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Camel's OpenTelemetry tracing (camel-opentelemetry2, a span per route step) is on when
 * {@code BATON_OTEL_COLLECTOR_ENDPOINT} is set and {@code BATON_OTEL_TRACING_DISABLED} is not:
 * {@code camel.opentelemetry2.enabled} follows them unless set. Unset, Camel runs exactly as without tracing.
 */
public class TelemetrySwitch implements EnvironmentPostProcessor {
    static final String CAMEL_TRACING = "camel.opentelemetry2.enabled";
    private static final Set<String> TRUE = Set.of("true", "on", "yes", "1");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (env.getProperty(CAMEL_TRACING) == null) {
            env.getPropertySources().addLast(new MapPropertySource("telemetrySwitch", Map.of(CAMEL_TRACING, String.valueOf(tracing(env)))));
        }
    }

    /** Whether traces are sent: an endpoint, and tracing not disabled. */
    static boolean tracing(Environment env) {
        return endpointSet(env) && !isTrue(env, "baton.otel.tracing-disabled");
    }

    /** Whether logs are sent: an endpoint, and logging not disabled. */
    static boolean logging(Environment env) {
        return endpointSet(env) && !isTrue(env, "baton.otel.logging-disabled");
    }

    private static boolean endpointSet(Environment env) {
        try {
            return !env.getProperty("baton.otel.collector-endpoint", "").isBlank();
        } catch (IllegalArgumentException unresolvedYet) {
            return true; // a placeholder resolved later (a test's dynamic property): an endpoint is configured
        }
    }

    /** As the property binds: Spring takes true, on, yes and 1 for true. */
    private static boolean isTrue(Environment env, String property) {
        try {
            return TRUE.contains(env.getProperty(property, "").trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException unresolvedYet) {
            return false;
        }
    }
}
