package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The safety guard: a sync whose users or grants drop by more than sync.max-drop-percent against the last good sync is
 * FAILED and leaves the output alone, unless forced through the REST API; a smaller drop passes.
 */
class SyncGuardTest extends SyncTestSupport {
    @Autowired
    SyncGuard guard;

    @Autowired
    dev.batonseismic.resources.ResourceUnits units;

    private int threshold;

    @BeforeEach
    void guardOn() {
        threshold = guard.maxDropPercent();
        guard.maxDropPercent(20); // the shared test context runs with the guard off (100)
        EMULATOR.faults().clear();
        EMULATOR.hooks().clear();
    }

    @AfterEach
    void guardBack() {
        guard.maxDropPercent(threshold);
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<String> r = rest.postForEntity(path, new HttpEntity<>(body, headers), String.class);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(HttpStatus.ACCEPTED);
        return JSON.readTree(r.getBody());
    }

    /** A forced sync: whatever earlier tests left, it becomes the last good sync the guard compares with. */
    private JsonNode baseline() throws Exception {
        JsonNode good = awaitEnd(post("/api/v1/syncs", "{\"force\": true}").get("id").asText());
        assertThat(good.get("state").asText()).as(good.toString()).isEqualTo("SUCCEEDED");
        return good;
    }

    private static String latest() throws Exception {
        return Files.readString(SINK_DIR.resolve("latest.json"));
    }

    @Test
    void aBigDropFailsAndKeepsTheOutputUnlessForcedAndASmallDropPasses() throws Exception {
        EMULATOR.regenerate(300, 5);
        JsonNode good = baseline();
        String before = latest();

        EMULATOR.regenerate(220, 5); // -26.7 % users
        JsonNode refused = syncToEnd();
        assertThat(refused.get("state").asText()).isEqualTo("FAILED");
        assertThat(refused.get("error").asText()).contains("safety guard", "users 300 -> 220 (-26.7%)",
                "sync.max-drop-percent (20%)", good.get("id").asText(), "of tenant " + EMULATOR.settings().tenant, "{\"force\": true}");
        assertThat(refused.get("outputLocation").isNull()).isTrue();
        assertThat(latest()).isEqualTo(before);
        try (var files = Files.list(SINK_DIR)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(refused.get("id").asText()));
        }

        JsonNode forced = awaitEnd(post("/api/v1/syncs", "{\"force\": true}").get("id").asText());
        assertThat(forced.get("state").asText()).as(forced.toString()).isEqualTo("SUCCEEDED");
        assertThat(forced.get("forced").asBoolean()).isTrue();
        assertThat(forced.get("warnings").toString()).contains("forced: users 300 -> 220");
        assertThat(new SyncOutput(SINK_DIR.resolve("latest.json")).doc.get("syncId").asText()).isEqualTo(forced.get("id").asText());
        assertThat(new SyncOutput(SINK_DIR.resolve("latest.json")).of("user")).hasSize(220);

        EMULATOR.regenerate(180, 5); // -18.2 % users against the forced sync, the new last good one
        JsonNode small = syncToEnd();
        assertThat(small.get("state").asText()).as(small.toString()).isEqualTo("SUCCEEDED");
        assertThat(small.get("forced").asBoolean()).isFalse();

        String dataDir = guard.stateFile().getParent().toString();
        SyncGuard fresh = new SyncGuard(dataDir, EMULATOR.settings().tenant, 20, new ObjectMapper(), units);
        assertThat(fresh.baseline().syncId()).as("the last good sync is on disk for the next start").isEqualTo(small.get("id").asText());
        assertThat(fresh.baseline().counts().get("user")).isEqualTo(180L);
        SyncGuard otherTenant = new SyncGuard(dataDir, "production", 20, new ObjectMapper(), units);
        assertThat(otherTenant.baseline()).as("another tenant in the same data folder has no baseline of its own yet").isNull();
        assertThat(new SyncGuard(dataDir, EMULATOR.settings().tenant, 20, new ObjectMapper(), units).baseline().syncId())
                .as("and leaves this tenant's alone").isEqualTo(small.get("id").asText());
    }

    @Test
    void aDropInGrantsAloneIsCaughtToo() throws Exception {
        EMULATOR.regenerate(300, 6);
        JsonNode good = baseline();
        long grants = good.at("/counts/grants").asLong();
        // delete the biggest groups until more than a quarter of the grants are gone; the users stay
        long removed = 0;
        List<Map.Entry<String, List<String>>> groups = EMULATOR.truth().memberships().entrySet().stream()
                .sorted(Comparator.comparingInt(e -> -e.getValue().size())).toList();
        for (var g : groups) {
            if (removed * 4 > grants) {
                break;
            }
            EMULATOR.deleteGroup(g.getKey());
            removed += g.getValue().size();
        }
        String before = latest();
        JsonNode refused = syncToEnd();
        assertThat(refused.get("state").asText()).isEqualTo("FAILED");
        assertThat(refused.get("error").asText()).contains("grants " + grants + " -> " + (grants - removed)).doesNotContain("users");
        assertThat(latest()).isEqualTo(before);

        JsonNode forced = awaitEnd(post("/api/v1/syncs?force=true", null).get("id").asText());
        assertThat(forced.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(forced.at("/counts/grants").asLong()).isEqualTo(grants - removed);
    }

    @Test
    void malformedSyncRequestsAre400AndStartNothing() throws Exception {
        String newest = JSON.readTree(rest.getForObject("/api/v1/syncs", String.class)).path(0).path("id").asText();
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        Map<String, String> cases = Map.of(
                "{\"force\": \"yes\"}", "force must be true or false",
                "{\"forced\": true}", "unknown field 'forced'",
                "[true]", "the body must be empty or a JSON object",
                "force", "the body must be empty or a JSON object");
        for (var c : cases.entrySet()) {
            ResponseEntity<String> r = rest.postForEntity("/api/v1/syncs", new HttpEntity<>(c.getKey(), headers), String.class);
            assertThat(r.getStatusCode()).as(c.getKey()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(JSON.readTree(r.getBody()).get("error").asText()).as(c.getKey()).contains(c.getValue());
        }
        ResponseEntity<String> q = rest.postForEntity("/api/v1/syncs?force=maybe", null, String.class);
        assertThat(q.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(JSON.readTree(q.getBody()).get("error").asText()).contains("query parameter force must be true or false");
        assertThat(JSON.readTree(rest.getForObject("/api/v1/syncs", String.class)).path(0).path("id").asText())
                .as("no sync started").isEqualTo(newest);
    }
}
