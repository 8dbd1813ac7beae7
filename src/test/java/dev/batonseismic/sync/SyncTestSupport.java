package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.ConnectorTestSupport;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** Starting a sync through the REST API and waiting for it to end. */
abstract class SyncTestSupport extends ConnectorTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();


    String startSync() throws Exception {
        ResponseEntity<String> r = rest.postForEntity("/api/v1/syncs", null, String.class);
        assertThat(r.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        JsonNode body = JSON.readTree(r.getBody());
        assertThat(r.getHeaders().getLocation()).hasToString("/api/v1/syncs/" + body.get("id").asText());
        return body.get("id").asText();
    }

    JsonNode awaitEnd(String id) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> status(id),
                s -> !s.get("state").asText().equals("RUNNING"));
    }

    JsonNode status(String id) throws Exception {
        return JSON.readTree(rest.getForObject("/api/v1/syncs/" + id, String.class));
    }

    JsonNode syncToEnd() throws Exception {
        return awaitEnd(startSync());
    }
}
