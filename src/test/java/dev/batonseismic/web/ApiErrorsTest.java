package dev.batonseismic.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The REST API's front filters on their own (no app): the 503 while Camel has not started the routes (the real
 * window is a second or so after the port opens; {@code ApiStartingEndToEndTest} sees it from outside), and the JSON
 * answers that replace error pages.
 */
class ApiErrorsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    private static MockHttpServletResponse call(jakarta.servlet.Filter filter, String method, String path, MockFilterChain chain)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, chain);
        return response;
    }

    private static JsonNode error(MockHttpServletResponse r) throws Exception {
        assertThat(r.getContentType()).startsWith("application/json");
        JsonNode body = JSON.readTree(r.getContentAsString());
        assertThat(body.size()).as(r.getContentAsString()).isEqualTo(1);
        return body.path("error");
    }

    @Test
    void theApiAnswers503WithRetryAfterUntilCamelHasStartedTheRoutes() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        try {
            ApiStartingFilter filter = new ApiStartingFilter(camel::getStatus);
            for (String[] call : new String[][] {{"GET", "/api/v1/syncs"}, {"POST", "/api/v1/syncs"}, {"POST", "/api/v1/provisioning"}}) {
                MockFilterChain chain = new MockFilterChain();
                MockHttpServletResponse r = call(filter, call[0], call[1], chain);
                assertThat(r.getStatus()).as(call[0] + " " + call[1]).isEqualTo(503);
                assertThat(r.getHeader("Retry-After")).isEqualTo("2");
                assertThat(error(r).asText()).isEqualTo("the connector is starting: try again in a moment");
                assertThat(chain.getRequest()).as("the routes are not asked").isNull();
            }

            camel.start();
            MockFilterChain chain = new MockFilterChain();
            MockHttpServletResponse r = call(filter, "GET", "/api/v1/syncs", chain);
            assertThat(chain.getRequest()).as("started: the call goes on to the routes").isNotNull();
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getHeader("Retry-After")).isNull();

            camel.suspend();
            r = call(filter, "GET", "/api/v1/syncs", new MockFilterChain());
            assertThat(r.getStatus()).isEqualTo(503);
            assertThat(error(r).asText()).contains("suspended");
            camel.resume();
            chain = new MockFilterChain();
            assertThat(call(filter, "GET", "/api/v1/syncs", chain).getStatus()).isEqualTo(200);
            assertThat(chain.getRequest()).isNotNull();

            filter.closing();
            camel.stop();
            r = call(filter, "GET", "/api/v1/syncs", new MockFilterChain());
            assertThat(r.getStatus()).isEqualTo(503);
            assertThat(r.getHeader("Retry-After")).isEqualTo("2");
            assertThat(error(r).asText()).startsWith("the connector is shutting down");
        } finally {
            camel.close();
        }
    }

    @Test
    void noCamelContextYetIsStartingToo() throws Exception {
        AtomicReference<ServiceStatus> status = new AtomicReference<>();
        ApiStartingFilter filter = new ApiStartingFilter(status::get);
        MockHttpServletResponse r = call(filter, "GET", "/api/v1/c1", new MockFilterChain());
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(error(r).asText()).startsWith("the connector is starting");
        status.set(ServiceStatus.Started);
        MockFilterChain chain = new MockFilterChain();
        call(filter, "GET", "/api/v1/c1", chain);
        assertThat(chain.getRequest()).isNotNull();
    }

    @Test
    void sendErrorBecomesTheApisJsonWithCallerValuesCutShort() throws Exception {
        ApiErrorFilter filter = new ApiErrorFilter();
        String longPath = "/api/v1/" + "p".repeat(5000);
        MockHttpServletResponse r = call(filter, "GET", longPath, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
                resp.sendError(404, "No endpoint GET " + longPath);
                resp.getWriter().write("written after the error: dropped");
            }
        }));
        assertThat(r.getStatus()).isEqualTo(404);
        String message = error(r).asText();
        assertThat(message).startsWith("Not Found: nothing at /api/v1/ppp").contains("… (5008 characters)").hasSizeLessThan(300);
        assertThat(r.getContentAsString()).doesNotContain("dropped");

        r = call(filter, "POST", "/api/v1/provisioning", new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
                resp.setHeader("Accept", "application/json");
                resp.sendError(415);
            }
        }));
        assertThat(r.getStatus()).isEqualTo(415);
        assertThat(error(r).asText()).isEqualTo("Unsupported Media Type: send the body as application/json (the request has no Content-Type)");
        assertThat(r.getHeader("Accept")).as("headers set before the error stay").isEqualTo("application/json");
    }

    @Test
    void aFailureNothingHandledIsAJson500WithoutItsMessage() throws Exception {
        MockHttpServletResponse r = call(new ApiErrorFilter(), "GET", "/api/v1/syncs", new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp) {
                throw new IllegalStateException("secret internals");
            }
        }));
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(error(r).asText()).startsWith("Internal Server Error").doesNotContain("secret internals");
    }

    /** Stands in for the {@code syncs} bean that {@code rest-errors} names for malformed requests. */
    public static class RejectedRequests {
        public java.util.Map<String, String> rejected(org.apache.camel.Exchange ex) {
            return java.util.Map.of("error", "malformed");
        }
    }

    @Test
    void anUnexpectedFailureInARestRouteIsValidJsonWithItsMessageCutShort() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        try {
            camel.getRegistry().bind("restErrors", new RestErrors());
            camel.getRegistry().bind("syncs", new RejectedRequests()); // the configuration's other handler, not reached here
            var loader = org.apache.camel.support.PluginHelper.getResourceLoader(camel);
            org.apache.camel.support.PluginHelper.getRoutesLoader(camel).loadRoutes(loader.resolveResource("file:routes/errors.yaml"));
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:failing").routeConfigurationId("rest-errors")
                            .throwException(new IllegalStateException("a \"quoted\" " + "x".repeat(5000)));
                }
            });
            camel.start();
            var answer = camel.createProducerTemplate().send("direct:failing", ex -> { });
            assertThat(answer.getMessage().getHeader("CamelHttpResponseCode", Integer.class)).isEqualTo(500);
            JsonNode body = new ObjectMapper().readTree(answer.getMessage().getBody(String.class));
            assertThat(body.get("error").asText()).startsWith("internal error: a \"quoted\" xxx").endsWith("(5011 characters)");
        } finally {
            camel.stop();
        }
    }

    @Test
    void callerValuesAreCutAt120CharactersWithTheirLength() {
        assertThat(RestErrors.shorten("k".repeat(120))).isEqualTo("k".repeat(120));
        assertThat(RestErrors.shorten("k".repeat(3000))).isEqualTo("k".repeat(120) + "… (3000 characters)");
        assertThat(RestErrors.shorten("a\u0000b\nc")).isEqualTo("a?b?c");
        assertThat(RestErrors.body("say \"hi\"")).isEqualTo("{\"error\":\"say \\\"hi\\\"\"}");
    }
}
