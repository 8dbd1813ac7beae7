package dev.batonseismic.seismic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Single Seismic calls for provisioning, made through the route {@code seismic-api-call} (so they share the rate
 * budget, token, retries and statistics with syncs), marked high priority so a running sync never makes them wait.
 * With traces on (BATON_OTEL_COLLECTOR_ENDPOINT) the call's spans continue the trace of the step that makes it.
 */
@Component("seismicClient")
public class SeismicClient {
    /**
     * Seismic's answer: status and JSON body (null when empty or not JSON), and how many attempts the call took
     * (more than one: an earlier attempt failed or its answer was lost, so its change may already have been applied).
     */
    public record Reply(int status, JsonNode body, int attempts) {
        public Reply(int status, JsonNode body) {
            this(status, body, 1);
        }
    }

    private final ProducerTemplate template;
    private final ObjectMapper json;

    public SeismicClient(ProducerTemplate template, ObjectMapper json) {
        this.template = template;
        this.json = json;
    }

    /**
     * Calls Seismic; statuses listed in {@code accept} come back as replies, 2xx always, anything else throws
     * {@link SeismicApiException} or {@link SeismicAuthException}.
     */
    public Reply call(String method, String path, String query, Object body, String accept) {
        Exchange ex = template.send("direct:seismic-api-call", e -> {
            e.setProperty("seismicMethod", method);
            e.setProperty("seismicPath", path);
            e.setProperty("seismicQuery", query);
            e.setProperty("seismicAccept", accept);
            e.setProperty(RateBudget.PRIORITY, "high");
            // the calling step's span, if one is current (only with traces on), as the new exchange's parent
            W3CTraceContextPropagator.getInstance().inject(Context.current(), e.getMessage(), (m, k, v) -> m.setHeader(k, v));
            if (body != null) {
                e.setProperty("seismicContentType", "application/scim+json");
                e.getMessage().setBody(json.writeValueAsString(body));
            }
        });
        if (ex.getException() != null) {
            throw ex.getException() instanceof RuntimeException r ? r : new IllegalStateException(ex.getException());
        }
        int status = ex.getProperty("seismicStatus", 0, Integer.class);
        return new Reply(status, parse(ex), ex.getProperty("seismicAttempt", 1, Integer.class));
    }

    private JsonNode parse(Exchange ex) {
        JsonNode parsed = SeismicResponse.takeJson(ex);
        if (parsed != null) {
            return parsed;
        }
        try (InputStream in = ex.getMessage().getBody(InputStream.class)) {
            return in == null ? null : json.readTree(in);
        } catch (IOException e) {
            return null;
        }
    }
}
