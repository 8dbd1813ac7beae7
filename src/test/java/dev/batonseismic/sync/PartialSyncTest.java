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
 * Partial syncs asked over REST with baton's names ({@code resourceTypes}, {@code resources}, {@code skipGrants},
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

    /** What a partial sync must leave alone: {@code latest.json} and the drop guard's baseline. */
    private record Before(String latest, String baseline) {}

    /** A fresh tenant of {@code users} users, synced in full. */
    private Before afterAGoodFullSync(int users, long seed) throws Exception {
        EMULATOR.faults().clear();
        EMULATOR.regenerate(users, seed);
        JsonNode full = syncToEnd();
        assertThat(full.get("state").asText()).isEqualTo("SUCCEEDED");
        return new Before(Files.readString(SINK_DIR.resolve("latest.json")), guard.baseline().syncId());
    }

    @Test
    void groupsWithoutGrantsAreSyncedAloneMarkedPartialAndLeaveTheBaselineAndLatestAlone() throws Exception {
        Before before = afterAGoodFullSync(120, 4);
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
        assertThat(Files.readString(SINK_DIR.resolve("latest.json"))).as("latest.json is the last whole tenant").isEqualTo(before.latest());
        assertThat(guard.baseline().syncId()).as("a partial sync is no baseline").isEqualTo(before.baseline());
        assertThat(new SyncOutput(SINK_DIR.resolve("latest.json")).doc.get("syncType").asText()).isEqualTo("full");
    }

    @Test
    void aTargetedSyncReadsOnlyItsResourcesOneByOneAndLeavesOutAnUnknownOne() throws Exception {
        Before before = afterAGoodFullSync(150, 5);
        var truth = EMULATOR.truth();
        String gid = truth.memberships().entrySet().stream().filter(e -> e.getValue().size() > 2).findFirst().orElseThrow().getKey();
        String uid = truth.users().keySet().iterator().next();
        String missing = "00000000-0000-4000-8000-000000000000";
        EMULATOR.requests().clear();

        ResponseEntity<String> r = post("{\"resources\": [\"bid:r:group/" + gid + "\", \"bid:r:user/" + uid + "\", \"bid:r:group/" + missing + "\"]}");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(HttpStatus.ACCEPTED);
        JsonNode targeted = awaitEnd(JSON.readTree(r.getBody()).get("id").asText());

        assertThat(targeted.get("state").asText()).as(targeted.toString()).isEqualTo("SUCCEEDED");
        assertThat(targeted.get("scope").asText()).startsWith("targeted: bid:r:group/" + gid);
        assertThat(targeted.get("warnings").toString()).contains("bid:r:group/" + missing + " is not in Seismic (404)");
        SyncOutput out = new SyncOutput(Path.of(targeted.get("outputLocation").asText()));
        assertThat(out.doc.get("syncType").asText()).isEqualTo("partial");
        assertThat(out.of("group").keySet()).containsExactly(gid);
        assertThat(out.of("user").keySet()).containsExactly(uid);
        assertThat(out.resources.keySet()).containsExactlyInAnyOrder("group", "user");
        assertThat(out.entitlements.keySet()).containsExactly("group:" + gid + ":member");
        assertThat(out.holders("group", "member")).isEqualTo(Map.of(gid, java.util.Set.copyOf(truth.memberships().get(gid))));
        assertThat(out.grants).hasSize(truth.memberships().get(gid).size());
        assertThat(EMULATOR.requests().entries()).as("each target read by its id, nothing listed")
                .allMatch(e -> e.path().equals("/scim/v2/Groups/" + gid) || e.path().equals("/scim/v2/Groups/" + gid + "/Users")
                        || e.path().equals("/scim/v2/Users/" + uid) || e.path().equals("/scim/v2/Groups/" + missing)
                        || e.path().endsWith("/token"), "a target's path")
                .anyMatch(e -> e.path().equals("/scim/v2/Groups/" + gid + "/Users"))
                .anyMatch(e -> e.path().equals("/scim/v2/Users/" + uid));
        assertThat(Files.readString(SINK_DIR.resolve("latest.json"))).isEqualTo(before.latest());
        assertThat(guard.baseline().syncId()).as("a targeted sync is no baseline, nor compared with it").isEqualTo(before.baseline());
    }

    @Test
    void aMalformedScopeIs400AndStartsNothing() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"resourceTypes\": [\"team\"]}", "unknown resource type 'team'",
                "{\"resourceTypes\": \"group\"}", "resourceTypes must be a JSON array",
                "{\"skipGrants\": \"yes\"}", "skipGrants must be true or false",
                "{\"resourceType\": [\"group\"]}", "unknown field 'resourceType'",
                "{\"resources\": [\"group/abc\"]}", "'group/abc' is not a baton resource id: expected bid:r:<type>/<id>",
                "{\"resources\": [\"bid:r:role/abc\"]}", "bid:r:role/abc cannot be synced by itself",
                "{\"resources\": [\"bid:r:team/abc\"]}", "unknown resource type 'team'",
                "{\"resources\": [\"bid:r:group/a b\"]}", "group id 'a b' is malformed");
        String newest = JSON.readTree(rest.getForObject("/api/v1/syncs", String.class)).path(0).path("id").asText();
        for (var c : cases.entrySet()) {
            ResponseEntity<String> r = post(c.getKey());
            assertThat(r.getStatusCode()).as(c.getKey()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(JSON.readTree(r.getBody()).get("error").asText()).as(c.getKey()).contains(c.getValue());
        }
        assertThat(JSON.readTree(rest.getForObject("/api/v1/syncs", String.class)).path(0).path("id").asText()).isEqualTo(newest);
    }
}
