package dev.batonseismic.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.ConnectorTestSupport;
import dev.batonseismic.seismic.SeismicToken;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

/** What operators watch: readiness with its reason, and the metrics Prometheus scrapes. */
class OperationsTest extends ConnectorTestSupport {
    @Autowired
    TestRestTemplate anonymous;

    @Autowired
    SeismicToken token;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    /** A probe as Kubernetes sends it: one request, no client-side retry (Apache HttpClient would retry a 503). */
    private java.net.http.HttpResponse<String> probe(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessSaysWhyNoTokenCanBeHad() throws Exception {
        var ready = probe("/actuator/health/readiness");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("seismicToken");
        EMULATOR.settings().clientActive = false;
        try {
            token.invalidate("Bearer " + token.current().value());
            var down = probe("/actuator/health/readiness");
            assertThat(down.statusCode()).isEqualTo(503);
            JsonNode body = new ObjectMapper().readTree(down.body());
            assertThat(body.at("/components/seismicToken/details/reason").asText()).contains("invalid_client")
                    .doesNotContain(EMULATOR.settings().clientSecret);
            long tokenCalls = EMULATOR.requests().count("POST /tenants/{tenant}/connect/token");
            assertThat(probe("/actuator/health/readiness").statusCode()).isEqualTo(503);
            assertThat(EMULATOR.requests().count("POST /tenants/{tenant}/connect/token")).as("a failure is cached, not retried per probe")
                    .isEqualTo(tokenCalls);
            assertThat(probe("/actuator/health/liveness").statusCode()).isEqualTo(200);
        } finally {
            EMULATOR.settings().clientActive = true;
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> probe("/actuator/health/readiness").statusCode() == 200);
    }

    @Test
    void prometheusShowsRouteAndConnectorMetrics() throws Exception {
        EMULATOR.regenerate(40, 2);
        TestRestTemplate admin = anonymous.withBasicAuth(ADMIN, ADMIN_PASSWORD);
        String id = new ObjectMapper().readTree(admin.postForEntity("/api/v1/syncs", null, String.class).getBody()).get("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> admin.getForObject("/api/v1/syncs/" + id, String.class).contains("SUCCEEDED"));
        String metrics = admin.getForObject("/actuator/prometheus", String.class);
        assertThat(metrics).contains("seismic_sync_last_success_timestamp_seconds")
                .contains("seismic_sync_records{type=\"user\"} 40.0")
                .contains("seismic_sync_duration_seconds_count{outcome=\"SUCCEEDED\"")
                .contains("seismic_api_calls_total{status=\"2xx\"}")
                .contains("routeId=\"sync-run\"")
                .contains("routeId=\"seismic-api-call\"");
        assertThat(metrics).doesNotContain(EMULATOR.settings().clientSecret).doesNotContain(ADMIN_PASSWORD);
    }
}
