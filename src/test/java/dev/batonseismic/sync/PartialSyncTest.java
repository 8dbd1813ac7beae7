package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Partial syncs asked over REST with baton's names ({@code resourceTypes}, {@code skipGrants},
 * {@code skipEntitlementsAndGrants}): only what was asked is read and written, the output says it is partial,
 * {@code latest.json} stays the last whole tenant, and the drop guard keeps its full baseline.
 */
class PartialSyncTest extends SyncTestSupport {
    @Autowired
    SyncGuard guard;

    private ResponseEntity<String> post(String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return rest.postForEntity("/api/v1/syncs", new HttpEntity<>(body, headers), String.class);
    }

    @Test
    void groupsWithoutGrantsAreSyncedAloneMarkedPartialAndLeaveTheBaselineAndLatestAlone() throws Exception {
        EMULATOR.faults().clear();
        EMULATOR.regenerate(120, 4);
        JsonNode full = syncToEnd();
        assertThat(full.get("state").asText()).isEqualTo("SUCCEEDED");
        String latestBefore = Files.readString(SINK_DIR.resolve("latest.json"));
        String baselineBefore = guard.baseline().syncId();
        EMULATOR.requests().clear();

        ResponseEntity<String> r = post("{\"resourceTypes\": [\"group\"], \"skipGrants\": true}");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(HttpStatus.ACCEPTED);
        JsonNode partial = awaitEnd(JSON.readTree(r.getBody()).get("id").asText());

        assertThat(partial.get("state").asText()).as(partial.toString()).isEqualTo("SUCCEEDED");
        assertThat(partial.get("scope").asText()).isNotEqualTo("full").contains("group");
        SyncOutput out = new SyncOutput(Path.of(partial.get("outputLocation").asText()));
        assertThat(out.doc.get("syncType").asText()).isEqualTo("partial");
        assertThat(out.resources.keySet()).containsExactly("group");
        assertThat(out.of("group")).hasSize(EMULATOR.truth().memberships().size());
        assertThat(out.grants).isEmpty();
        assertThat(EMULATOR.requests().entries()).as("no user, member or role pages read")
                .noneMatch(e -> e.path().equals("/scim/v2/Users") || e.path().endsWith("/Users") && e.path().startsWith("/scim/v2/Groups/"));
        assertThat(Files.readString(SINK_DIR.resolve("latest.json"))).as("latest.json is the last whole tenant").isEqualTo(latestBefore);
        assertThat(guard.baseline().syncId()).as("a partial sync is no baseline").isEqualTo(baselineBefore);
        assertThat(new SyncOutput(SINK_DIR.resolve("latest.json")).doc.get("syncType").asText()).isEqualTo("full");
    }

    @Test
    void aMalformedScopeIs400AndStartsNothing() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"resourceTypes\": [\"team\"]}", "unknown resource type 'team'",
                "{\"resourceTypes\": \"group\"}", "resourceTypes must be a JSON array",
                "{\"skipGrants\": \"yes\"}", "skipGrants must be true or false",
                "{\"resourceType\": [\"group\"]}", "unknown field 'resourceType'");
        String newest = JSON.readTree(rest.getForObject("/api/v1/syncs", String.class)).path(0).path("id").asText();
        for (var c : cases.entrySet()) {
            ResponseEntity<String> r = post(c.getKey());
            assertThat(r.getStatusCode()).as(c.getKey()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(JSON.readTree(r.getBody()).get("error").asText()).as(c.getKey()).contains(c.getValue());
        }
        assertThat(JSON.readTree(rest.getForObject("/api/v1/syncs", String.class)).path(0).path("id").asText()).isEqualTo(newest);
    }
}
