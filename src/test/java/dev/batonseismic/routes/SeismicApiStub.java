package dev.batonseismic.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.config.SeismicProperties;
import dev.batonseismic.seismic.RateBudget;
import dev.batonseismic.seismic.SeismicResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;

/**
 * Stands in for {@code direct:seismic-api-call} (routes/seismic-api.yaml) in a route template test: it answers each call
 * from a fixture, records the call (path and query, from the exchange properties the template sets) and leaves the
 * exchange as the real route does, by handing the answer to the real {@link SeismicResponse#classify}: the status in
 * {@code seismicStatus}, a GET's parsed body in {@code seismicJson} (only the {@code seismicResourceFields} of SCIM
 * records, where set), a status listed in {@code seismicAccept} passed through, any other failure thrown as a
 * {@code SeismicApiException}. Like the real route it uses the {@code inner-steps} route configuration (no error
 * handler: a failure goes up to the template unlogged), so the context must have loaded routes/errors.yaml first.
 * <p>
 * Calls are made once: {@code seismic.retry.max-attempts} is 1, so a 5xx fails at once, as the real route does after
 * its last attempt (its retries, token and rate budget are tested by the full suite, not here). The token is only
 * used for a 401, which no fixture here answers.
 */
final class SeismicApiStub extends RouteBuilder {

    /** One call the template made: its sequence number (1, 2 …), {@code seismicPath} and {@code seismicQuery}. */
    record Call(int number, String path, String query) {
        /** A query parameter as a number, e.g. {@code startIndex} or {@code offset}. */
        int param(String name) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals(name)) {
                    return Integer.parseInt(kv[1]);
                }
            }
            throw new AssertionError("the call " + path + "?" + query + " has no " + name);
        }
    }

    /** What Seismic answers: an HTTP status and a JSON body. */
    record Answer(int status, String body) {
    }

    /** More calls than any fixture here needs: a template that pages without end fails its test instead of hanging it. */
    static final int MAX_CALLS = 100;

    private final Function<Call, Answer> tenant;
    private final AtomicInteger numbers = new AtomicInteger();
    private final List<Call> calls = new ArrayList<>();

    /** A stub whose tenant answers every call (calls of a parallel split come from several threads). */
    SeismicApiStub(Function<Call, Answer> tenant) {
        this.tenant = tenant;
    }

    /** The {@code seismicResponse} bean the stub hands its answers to: one attempt per call, no rate limit. */
    static SeismicResponse seismicResponse() {
        SeismicProperties seismic = new SeismicProperties(null, null, null, null, null, null, null, null, null, null, null,
                new SeismicProperties.Retry(1, Duration.ZERO), null);
        return new SeismicResponse(null, new RateBudget(0, Duration.ofSeconds(1), Duration.ZERO, 0), new SimpleMeterRegistry(), seismic);
    }

    /**
     * The ids of each page a page handler (a mock endpoint) received, in the order received: a SCIM listing reads its
     * pages in parallel, so in no particular order; a reporting listing one after the other.
     */
    @SuppressWarnings("unchecked")
    static List<List<String>> pages(MockEndpoint handler) {
        return handler.getReceivedExchanges().stream()
                .map(ex -> ((List<JsonNode>) ex.getMessage().getBody(List.class)).stream().map(r -> r.path("id").asText()).toList())
                .toList();
    }

    /** Binds the {@code seismicResponse} bean and adds the stub route to {@code camel}. */
    SeismicApiStub addTo(CamelContext camel) throws Exception {
        camel.getRegistry().bind("seismicResponse", seismicResponse());
        camel.addRoutes(this);
        return this;
    }

    @Override
    public void configure() {
        from("direct:seismic-api-call").routeId("seismic-api-call").routeConfigurationId("inner-steps")
                .process(this::answer)
                .bean("seismicResponse", "classify");
    }

    private void answer(Exchange ex) {
        Call call = new Call(numbers.incrementAndGet(), ex.getProperty("seismicPath", String.class), ex.getProperty("seismicQuery", String.class));
        synchronized (calls) {
            calls.add(call);
        }
        if (call.number() > MAX_CALLS) {
            throw new IllegalStateException("more than " + MAX_CALLS + " calls to Seismic: the template pages without end");
        }
        Answer answer = tenant.apply(call);
        ex.getMessage().removeHeaders("*");
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ex.getMessage().setBody(answer.body());
    }

    /** The calls made so far, in the order they reached the stub. */
    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The queries of the calls made so far, in the order they reached the stub. */
    List<String> queries() {
        return calls().stream().map(Call::query).toList();
    }
}
