package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.emulator.RequestLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A full sync of a generated tenant equals the emulator's ground truth, with exactly the minimal SCIM calls. */
class FullSyncTest extends SyncTestSupport {

    @Test
    void syncOf2500UsersEqualsGroundTruthWithMinimalCalls() throws Exception {
        EMULATOR.regenerate(2500, 42);
        String exactly100 = EMULATOR.createGroup("Exactly 100", 100);
        String exactly101 = EMULATOR.createGroup("Exactly 101", 101);
        EMULATOR.requests().clear();
        GroundTruth truth = EMULATOR.truth();

        JsonNode status = syncToEnd();
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        SyncOutput out = new SyncOutput(Path.of(status.get("outputLocation").asText()));

        // users: every one, with status, login, emails, profile
        Map<String, JsonNode> users = out.of("user");
        assertThat(users.keySet()).isEqualTo(truth.users().keySet());
        truth.users().values().forEach(u -> {
            JsonNode r = users.get(u.id());
            JsonNode trait = r.get("annotations").get(0);
            assertThat(trait.get("@type").asText()).isEqualTo("type.googleapis.com/c1.connector.v2.UserTrait");
            assertThat(trait.at("/status/status").asText()).isEqualTo(u.active() ? "STATUS_ENABLED" : "STATUS_DISABLED");
            assertThat(r.at("/status/status").asText()).isEqualTo(u.active() ? "RESOURCE_STATUS_ENABLED" : "RESOURCE_STATUS_DISABLED");
            assertThat(trait.get("login").asText()).isEqualTo(u.userName());
            assertThat(trait.get("emails").findValuesAsText("address")).containsExactlyElementsOf(u.emails());
            assertThat(trait.get("emails").get(0).path("isPrimary").asBoolean()).isTrue();
            assertThat(r.at("/profile/userType").asText()).isEqualTo(u.userType());
            assertThat(r.at("/profile/title").asText()).isEqualTo(u.title());
            assertThat(r.at("/profile/givenName").asText(null)).isEqualTo(u.givenName());
            assertThat(r.at("/profile/familyName").asText(null)).isEqualTo(u.familyName());
            assertThat(r.at("/profile/department").asText(null)).isEqualTo(u.department());
        });

        // groups and memberships
        assertThat(out.of("group").keySet()).isEqualTo(truth.memberships().keySet());
        truth.groupNames().forEach((gid, name) -> assertThat(out.of("group").get(gid).get("displayName").asText()).isEqualTo(name));
        assertThat(out.holders("group", "member")).isEqualTo(SyncOutput.asSets(truth.memberships()));
        truth.memberships().keySet().forEach(gid -> assertThat(out.entitlements).containsKey("group:" + gid + ":member"));

        // roles: every non-deleted catalog role (held or not), and a grant per holder
        assertThat(out.of("role").keySet()).isEqualTo(truth.roleNames().keySet());
        truth.roleNames().forEach((rid, name) -> assertThat(out.of("role").get(rid).get("displayName").asText()).isEqualTo(name));
        assertThat(out.holders("role", "assigned")).isEqualTo(SyncOutput.asSets(truth.roleHolders()));

        // licenses from userType: the three tiers always, the unknown one too; NonSeismic gets none
        assertThat(out.of("license").keySet()).containsExactlyInAnyOrder("Business", "Premium", "Partner", "Enterprise");
        assertThat(out.holders("license", "assigned")).isEqualTo(SyncOutput.asSets(truth.licenseHolders()));
        assertThat(status.get("warnings").toString()).contains("unknown license tier 'Enterprise'");

        // ids byte for byte, counts, and the grant total
        long expectedGrants = truth.counts().get("memberships") + truth.counts().get("roleGrants") + truth.counts().get("licenseGrants");
        assertThat(out.grants).hasSize((int) expectedGrants);
        out.grants.forEach((id, g) -> assertThat(id).isEqualTo(g.at("/entitlement/id").asText() + ":user:" + g.at("/principal/id/resource").asText()));
        assertThat(out.doc.get("resourceTypes").findValuesAsText("id")).containsExactly("user", "group", "role", "license");
        JsonNode counts = status.get("counts");
        assertThat(counts.get("user").asLong()).isEqualTo(truth.counts().get("users"));
        assertThat(counts.get("group").asLong()).isEqualTo(truth.counts().get("groups"));
        assertThat(counts.get("grants").asLong()).isEqualTo(expectedGrants);
        assertThat(counts.get("entitlements").asLong()).isEqualTo(out.entitlements.size());

        // request economy: exactly the minimal SCIM calls, one catalog page, no per-user membership calls
        RequestLog log = EMULATOR.requests();
        long scimCalls = log.entries().stream().filter(e -> e.path().startsWith("/scim/v2/")).count();
        assertThat(scimCalls).isEqualTo(truth.minimalScimCalls());
        assertThat(log.count("GET /scim/v2/Users")).isEqualTo(25);
        assertThat(log.count("GET /scim/v2/Users/{id}/Groups")).isZero();
        assertThat(log.count("GET /reporting/v2/entitlementRoles")).isEqualTo(1);
        assertThat(log.count("POST /tenants/{tenant}/connect/token")).isLessThanOrEqualTo(1);
        assertThat(log.entries().stream().filter(e -> e.path().equals("/scim/v2/Groups/" + exactly100 + "/Users"))).hasSize(1);
        assertThat(log.entries().stream().filter(e -> e.path().equals("/scim/v2/Groups/" + exactly101 + "/Users"))).hasSize(2);
        assertThat(status.get("apiCalls").asLong()).isEqualTo(scimCalls + 1);
        assertThat(status.get("rateLimited").asLong()).isZero();

        // published atomically, with the latest pointer and no leftovers
        Path output = Path.of(status.get("outputLocation").asText());
        assertThat(output).isAbsolute().exists();
        assertThat(Files.readString(output.resolveSibling("latest.json"))).isEqualTo(Files.readString(output));
        try (var files = Files.list(output.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))).isEmpty();
        }
    }

    @Test
    void pagesAreReadInParallelButNeverMoreThanSyncConcurrencyCallsAtOnce() throws Exception {
        EMULATOR.regenerate(2500, 42);
        EMULATOR.settings().latencyMs(40); // answers take a while, so parallel calls overlap at the emulator
        try {
            EMULATOR.requests().clear();
            JsonNode status = syncToEnd();
            assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
            int most = EMULATOR.requests().maxInFlight();
            assertThat(most).as("calls in flight at once (sync.concurrency = %d)", SYNC_CONCURRENCY)
                    .isLessThanOrEqualTo(SYNC_CONCURRENCY)
                    .isGreaterThanOrEqualTo(SYNC_CONCURRENCY - 1);
            assertThat(EMULATOR.requests().entries().stream().filter(e -> e.path().startsWith("/scim/v2/")).count())
                    .isEqualTo(EMULATOR.truth().minimalScimCalls());
        } finally {
            EMULATOR.settings().latencyMs(0);
        }
    }

    @Test
    void emptyTenantAndEmptyGroups() throws Exception {
        EMULATOR.regenerate(0, 3);
        EMULATOR.requests().clear();
        GroundTruth truth = EMULATOR.truth();
        JsonNode status = syncToEnd();
        assertThat(status.get("state").asText()).isEqualTo("SUCCEEDED");
        SyncOutput out = new SyncOutput(Path.of(status.get("outputLocation").asText()));
        assertThat(out.of("user")).isEmpty();
        assertThat(out.of("group").keySet()).isEqualTo(truth.memberships().keySet());
        assertThat(out.grants).isEmpty();
        assertThat(EMULATOR.requests().count("GET /scim/v2/Users")).isEqualTo(1);
        assertThat(EMULATOR.requests().count("GET /scim/v2/Groups")).isEqualTo(1);
        assertThat(EMULATOR.requests().count("GET /scim/v2/Groups/{id}/Users")).isEqualTo(truth.memberships().size());
        assertThat(out.of("license").keySet()).containsExactlyInAnyOrder("Business", "Premium", "Partner");
        Set<String> roleEntitlements = out.entitlements.keySet().stream().filter(k -> k.startsWith("role:")).collect(Collectors.toSet());
        assertThat(roleEntitlements).hasSize(truth.roleNames().size());
    }

    @Test
    void syncsAreListedAndUnknownIdsAre404() throws Exception {
        EMULATOR.regenerate(30, 1);
        String id = startSync();
        awaitEnd(id);
        JsonNode list = JSON.readTree(rest.getForObject("/api/v1/syncs", String.class));
        List<String> ids = new java.util.ArrayList<>();
        list.forEach(s -> ids.add(s.get("id").asText()));
        assertThat(ids.get(0)).isEqualTo(id);
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        var headers = new org.springframework.http.HttpHeaders();
        headers.add("X-Probe", "echo?");
        var listed = rest.exchange("/api/v1/syncs", org.springframework.http.HttpMethod.GET, new org.springframework.http.HttpEntity<>(headers), String.class);
        assertThat(listed.getHeaders().containsKey("X-Probe")).as("request headers are not echoed").isFalse();
        assertThat(listed.getHeaders().getContentType()).hasToString("application/json");
        var missing = rest.getForEntity("/api/v1/syncs/nope", String.class);
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        assertThat(missing.getBody()).contains("no sync with id nope");
    }
}
