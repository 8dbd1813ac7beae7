package dev.batonseismic.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.ConnectorTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * BATON_HEALTH_CHECK: baton's plain health server on its own port, without credentials, as baton-sdk serves it. Its
 * settings are SkipFullSyncTest's (a deployment moved over from baton with both), so the two share one Spring context.
 */
@TestPropertySource(properties = {"baton.health-check.enabled=true", "baton.health-check.port=0", "BATON_SKIP_FULL_SYNC=true"})
class BatonHealthCheckTest extends ConnectorTestSupport {
    @Autowired
    BatonHealthCheck health;

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + health.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void healthReadyAndLiveAnswerAsBatonsServerDoes() throws Exception {
        EMULATOR.faults().clear();
        assertThat(get("/live", 200).get("status").asText()).isEqualTo("alive");
        assertThat(get("/ready", 200).get("status").asText()).isEqualTo("ready");
        JsonNode healthy = get("/health", 200);
        assertThat(healthy.get("status").asText()).isEqualTo("healthy");
        assertThat(healthy.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void healthIsUnhealthyWithTheReasonWhenSeismicRefusesTheCredentials() throws Exception {
        get("/health", 200);
        EMULATOR.settings().clientActive = false;
        try {
            token.invalidate("Bearer " + token.current().value());
            JsonNode unhealthy = get("/health", 503);
            assertThat(unhealthy.get("status").asText()).isEqualTo("unhealthy");
            assertThat(unhealthy.at("/details/error").asText()).isEqualTo("connector validation failed");
            assertThat(unhealthy.at("/details/validation_error").asText()).contains("invalid_client")
                    .doesNotContain(EMULATOR.settings().clientSecret);
            assertThat(get("/live", 200).get("status").asText()).as("alive all the same").isEqualTo("alive");
        } finally {
            EMULATOR.settings().clientActive = true;
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(250))
                .ignoreExceptions().until(() -> get("/health", 200).get("status").asText().equals("healthy"));
    }

    @Autowired
    dev.batonseismic.seismic.SeismicToken token;
}
