package dev.batonseismic.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batonseismic.ConnectorTestSupport;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.apache.camel.CamelContext;
import org.apache.camel.telemetry.TraceProcessorsInterceptStrategy;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** Without BATON_OTEL_COLLECTOR_ENDPOINT (the shared context): no SDK, no exporter, no Camel tracer, nothing wrapped. */
class TelemetryOffTest extends ConnectorTestSupport {
    @Autowired
    ApplicationContext spring;

    @Autowired
    CamelContext camel;

    @Test
    void nothingIsSetUpWithoutAnEndpoint() {
        assertThat(spring.getEnvironment().getProperty("baton.otel.collector-endpoint")).isEmpty();
        assertThat(spring.getBeansOfType(OtlpTelemetry.class)).isEmpty();
        assertThat(spring.getBeansOfType(SdkTracerProvider.class)).isEmpty();
        assertThat(spring.getBeansOfType(Tracer.class)).isEmpty();
        assertThat(spring.getBeansOfType(ContextPropagators.class)).isEmpty();
        assertThat(spring.getBeansOfType(org.apache.camel.telemetry.Tracer.class)).as("camel-opentelemetry2's tracer").isEmpty();
        assertThat(camel.hasService(org.apache.camel.telemetry.Tracer.class)).isNull();
        assertThat(camel.getCamelContextExtension().getInterceptStrategies()).noneMatch(TraceProcessorsInterceptStrategy.class::isInstance);
        assertThat(camel.getRoutePolicyFactories()).noneMatch(org.apache.camel.telemetry.Tracer.class::isInstance);
    }
}
