package dev.batonseismic.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.emulator.GroundTruth;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every operation over REST, checked in the emulator's state; bad input; idempotency; read-only licenses. */
class RestProvisioningTest extends ProvisioningTestSupport {
    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void tenant() {
        EMULATOR.regenerate(200, 21);
        EMULATOR.faults().clear();
    }

    @AfterEach
    void scopes() {
        EMULATOR.settings().appScopes = new LinkedHashSet<>(List.of("seismic.user.view", "seismic.user.manage", "seismic.reporting"));
    }

    @Test
    void groupGrantAndRevokeWithNoOps() throws Exception {
        String[] ug = userOutsideSomeGroup();
        String uid = ug[0];
        String gid = ug[1];
        Answer granted = post(grant("group:" + gid + ":member", uid));
        assertThat(granted.status()).as(granted.body().toString()).isEqualTo(200);
        assertThat(granted.body().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(granted.body().at("/grant/id").asText()).isEqualTo("group:" + gid + ":member:user:" + uid);
        assertThat(EMULATOR.truth().memberships().get(gid)).contains(uid);

        Answer again = post(grant("group:" + gid + ":member", uid));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("status").asText()).isEqualTo("ALREADY_EXISTS");

        Answer revoked = post(revoke("group:" + gid + ":member:user:" + uid));
        assertThat(revoked.body().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.truth().memberships().get(gid)).doesNotContain(uid);
        assertThat(post(revoke("group:" + gid + ":member:user:" + uid)).body().get("status").asText()).isEqualTo("ALREADY_REVOKED");
    }

    @Test
    void roleGrantAndRevokeReplaceTheWholeRolesArray() throws Exception {
        GroundTruth t = EMULATOR.truth();
        String uid = t.users().values().stream().filter(u -> !u.roles().contains("Creator") && !u.roles().isEmpty())
                .findFirst().orElseThrow().id();
        List<String> before = rolesOf(uid);
        String creator = roleId("Creator");
        Answer granted = post(grant("role:" + creator + ":assigned", uid));
        assertThat(granted.body().get("status").asText()).as(granted.body().toString()).isEqualTo("SUCCEEDED");
        assertThat(rolesOf(uid)).containsAll(before).contains("Creator").hasSize(before.size() + 1);
        assertThat(EMULATOR.requests().entries()).filteredOn(e -> e.method().equals("PATCH")).isNotEmpty();
        assertThat(post(grant("role:" + creator + ":assigned", uid)).body().get("status").asText()).isEqualTo("ALREADY_EXISTS");
        Answer revoked = post(revoke("role:" + creator + ":assigned:user:" + uid));
        assertThat(revoked.body().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(rolesOf(uid)).containsExactlyElementsOf(before);
        assertThat(post(revoke("role:" + creator + ":assigned:user:" + uid)).body().get("status").asText()).isEqualTo("ALREADY_REVOKED");
    }

    @Test
    void licensesAreReadOnly() throws Exception {
        String uid = EMULATOR.settings().delegatedUserId;
        Answer a = post(grant("license:Premium:assigned", uid));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.body().get("status").asText()).isEqualTo("REFUSED");
        assertThat(a.body().get("message").asText()).contains("read-only").contains("userType");
        assertThat(post(revoke("license:Business:assigned:user:" + uid)).status()).isEqualTo(422);
    }

    @Test
    void createAccountThenAlreadyExists() throws Exception {
        JsonNode req = request("createAccount").put("login", "new.hire@demo.example.com").put("email", "new.hire@demo.example.com")
                .put("givenName", "New").put("familyName", "Hire");
        Answer created = post(req);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
        assertThat(created.body().get("status").asText()).isEqualTo("SUCCEEDED");
        String uid = created.body().at("/resource/id/resource").asText();
        assertThat(created.body().at("/resource/id/resourceType").asText()).isEqualTo("user");
        assertThat(EMULATOR.truth().users().get(uid).userName()).isEqualTo("new.hire@demo.example.com");
        Answer again = post(request("createAccount").put("login", "new.hire@demo.example.com").put("email", "new.hire@demo.example.com"));
        assertThat(again.body().get("status").asText()).isEqualTo("ALREADY_EXISTS");
        assertThat(again.body().at("/resource/id/resource").asText()).isEqualTo(uid);
    }

    @Test
    void deleteUserThenAlreadyGone() throws Exception {
        String uid = EMULATOR.truth().users().keySet().stream().skip(5).findFirst().orElseThrow();
        Answer deleted = post(request("deleteResource").put("resourceId", "user:" + uid));
        assertThat(deleted.body().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.truth().users()).doesNotContainKey(uid);
        Answer again = post(request("deleteResource").put("resourceId", "user:" + uid));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("message").asText()).contains("already deleted");
        assertThat(post(request("deleteResource").put("resourceId", "group:x")).status()).isEqualTo(422);
    }

    @Test
    void badInputGetsAClearErrorNamingTheProblem() throws Exception {
        String uid = EMULATOR.settings().delegatedUserId;
        assertError(post("{not json"), 400, "not valid JSON");
        assertError(post(JSON.createObjectNode().put("operation", "grant")), 400, "requestId is required");
        assertError(post(request("promote")), 400, "unknown operation 'promote'");
        assertError(post(request("grant").put("principalId", "user:" + uid)), 400, "entitlementId is required");
        assertError(post(grant("group-42", uid)), 400, "not a baton id");
        assertError(post(grant("group:42:owner", uid)), 400, "unknown entitlement 'group:42:owner'");
        assertError(post(request("grant").put("entitlementId", "group:42:member").put("principalId", "group:1")), 400, "must be a user");
        assertError(post(grant("group:../../Users:member", uid)), 400, "malformed");
        assertError(post(revoke("group:42:member")), 400, "not a baton grant id");
        assertError(post(request("createAccount").put("login", "x")), 400, "email is required");
        assertError(post(grant("group:00000000-0000-4000-8000-000000000000:member", uid)), 404, "group 00000000-0000-4000-8000-000000000000 does not exist");
        assertError(post(grant("group:" + EMULATOR.truth().memberships().keySet().iterator().next() + ":member",
                "00000000-0000-4000-8000-00000000beef")), 404, "user 00000000-0000-4000-8000-00000000beef does not exist");
        assertError(post(grant("role:00000000-0000-4000-8000-000000000000:assigned", uid)), 404, "not in Seismic's role catalog");
    }

    @Test
    void missingManageScopeIsNamed() throws Exception {
        EMULATOR.settings().appScopes = new LinkedHashSet<>(List.of("seismic.user.view", "seismic.reporting"));
        String[] ug = userOutsideSomeGroup();
        Answer a = post(grant("group:" + ug[1] + ":member", ug[0]));
        assertError(a, 403, "seismic.user.manage");
        assertThat(EMULATOR.truth().memberships().get(ug[1])).doesNotContain(ug[0]);
    }

    @Test
    void aRepeatedRequestIdReturnsTheFirstResultWithoutCallingSeismic() throws Exception {
        String[] ug = userOutsideSomeGroup();
        JsonNode req = grant("group:" + ug[1] + ":member", ug[0]);
        Answer first = post(req);
        long calls = EMULATOR.requests().total();
        Answer second = post(req);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.body().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.requests().total()).isEqualTo(calls);
        assertThat(meters.find("seismic.provisioning.replays").counter().count()).isPositive();
        assertThat(meters.find("seismic.provisioning").tag("operation", "grant").tag("outcome", "SUCCEEDED").timer().count()).isPositive();
    }

    private static void assertError(Answer a, int status, String text) {
        assertThat(a.status()).as(a.body().toString()).isEqualTo(status);
        assertThat(a.body().get("status").asText()).isEqualTo("FAILED");
        assertThat(a.body().get("message").asText()).contains(text);
    }
}
