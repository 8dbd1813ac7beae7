package dev.batonseismic.telemetry;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.ArrayList;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Traces and logs to an OpenTelemetry collector when {@code BATON_OTEL_COLLECTOR_ENDPOINT} is set
 * ({@link TelemetrySettings}); without it none of these beans exists, and Camel's tracer is off ({@link TelemetrySwitch}).
 * Camel's tracer (camel-opentelemetry2-starter) finds the {@link Tracer} and {@link ContextPropagators} here.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TelemetryProperties.class)
public class TelemetryConfiguration {
    /** The service name baton-sdk gives a connector's telemetry: its name and {@code -server} ({@code pkg/cli/commands.go}). */
    public static final String SERVICE_NAME = "baton-seismic-server";

    @Bean(destroyMethod = "close")
    @Conditional(Exporting.class)
    public OtlpTelemetry otlpTelemetry(TelemetryProperties properties, ObjectProvider<BuildProperties> build) {
        BuildProperties info = build.getIfAvailable();
        // SettingsCheck has refused the start-up if these settings have a problem
        return OtlpTelemetry.start(TelemetrySettings.read(properties, new ArrayList<>()), SERVICE_NAME,
                info == null || info.getVersion() == null ? "dev" : info.getVersion());
    }

    @Bean
    @Conditional(Tracing.class)
    public Tracer camelTracer(OtlpTelemetry telemetry) {
        return telemetry.tracer();
    }

    @Bean
    @Conditional(Tracing.class)
    public ContextPropagators camelTracePropagators(OtlpTelemetry telemetry) {
        return telemetry.propagators();
    }

    /** An endpoint, and traces or logs to send. */
    static final class Exporting implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return TelemetrySwitch.tracing(context.getEnvironment()) || TelemetrySwitch.logging(context.getEnvironment());
        }
    }

    /** An endpoint, and traces to send. */
    static final class Tracing implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return TelemetrySwitch.tracing(context.getEnvironment());
        }
    }
}
