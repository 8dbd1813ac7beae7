package dev.batonseismic.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmulatorReportingTest extends EmulatorTestSupport {

    @BeforeAll
    static void start() {
        start(new EmulatorSettings().users(300).rateLimit(0, 60));
    }

    @Test
    void entitlementRolesIsAFlatJsonArrayWithDeletedAndUnheldRoles() {
        EmulatorHttp.Reply r = http.get("/reporting/v2/entitlementRoles", token);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode roles = r.json();
        assertThat(roles.isArray()).isTrue();
        JsonNode first = roles.get(0);
        assertThat(List.of(first.fieldNames().next())).containsExactly("id");
        for (String f : List.of("id", "name", "description", "createdAt", "modifiedAt", "isDeleted")) {
            assertThat(first.has(f)).as(f).isTrue();
        }
        assertThat(roles.findValuesAsText("name")).contains("Learner", "Admin", TenantGenerator.UNHELD_ROLE, TenantGenerator.DELETED_ROLE)
                .doesNotContain("Business", "Premium", "Partner");
        GroundTruth t = emulator.truth();
        String unheld = t.roleNames().entrySet().stream().filter(e -> e.getValue().equals(TenantGenerator.UNHELD_ROLE))
                .findFirst().orElseThrow().getKey();
        assertThat(t.roleHolders().get(unheld)).isEmpty();
    }

    @Test
    void userRoleAssignmentsMatchTheUsersScimRoles() {
        JsonNode assignments = http.get("/reporting/v2/userRoleAssignments?limit=100000", token).json();
        GroundTruth t = emulator.truth();
        Map<String, Set<String>> live = new HashMap<>();
        assignments.forEach(a -> {
            if (!a.get("isDeleted").asBoolean()) {
                live.computeIfAbsent(a.get("roleId").asText(), k -> new HashSet<>()).add(a.get("userId").asText());
            }
        });
        t.roleHolders().forEach((roleId, holders) -> assertThat(live.getOrDefault(roleId, Set.of())).containsExactlyInAnyOrderElementsOf(holders));
        assertThat(live.values().stream().mapToLong(Set::size).sum()).isEqualTo(t.counts().get("roleGrants"));
    }

    @Test
    void csvOnAcceptTextCsv() {
        EmulatorHttp.Reply r = http.call("GET", "/reporting/v2/entitlementRoles", token, null, "text/csv");
        assertThat(r.header("Content-Type")).startsWith("text/csv");
        String[] lines = r.body().split("\n");
        assertThat(lines[0]).isEqualTo("id,name,description,createdAt,modifiedAt,isDeleted");
        assertThat(lines).hasSize(emulator.store.catalog().size() + 1);
    }

    @Test
    void limitOffsetAndTimeWindows() {
        int all = http.get("/reporting/v2/entitlementRoles", token).json().size();
        assertThat(http.get("/reporting/v2/entitlementRoles?limit=3", token).json().size()).isEqualTo(3);
        assertThat(http.get("/reporting/v2/entitlementRoles?limit=3&offset=" + (all - 1), token).json().size()).isEqualTo(1);
        assertThat(http.get("/reporting/v2/entitlementRoles?createdAtStartTime=2099-01-01T00:00:00", token).json().size()).isZero();
        assertThat(http.get("/reporting/v2/entitlementRoles?modifiedAtEndTime=2099-01-01T00:00:00", token).json().size()).isEqualTo(all);
        EmulatorHttp.Reply bad = http.get("/reporting/v2/entitlementRoles?modifiedAtStartTime=yesterday", token);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("message").asText()).contains("modifiedAtStartTime");
        assertThat(http.get("/reporting/v2/entitlementRoles?limit=-1", token).status()).isEqualTo(400);
    }

    @Test
    void reportingNeedsTheReportingScope() {
        String noReporting = http.token(emulator.settings(), "seismic.user.view seismic.user.manage");
        EmulatorHttp.Reply r = http.get("/reporting/v2/userRoleAssignments", noReporting);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("message").asText()).contains("seismic.reporting");
    }
}
