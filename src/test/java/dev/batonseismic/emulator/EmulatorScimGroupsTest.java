package dev.batonseismic.emulator;

import static dev.batonseismic.emulator.EmulatorScimUsersTest.assertScimError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmulatorScimGroupsTest extends EmulatorTestSupport {
    static final String UNKNOWN = "00000000-0000-4000-8000-000000000000";

    @BeforeAll
    static void start() {
        start(new EmulatorSettings().users(400).rateLimit(0, 60));
    }

    private static String group(String name, String externalId) {
        return "{\"schemas\":[\"" + ScimCodec.GROUP_SCHEMA + "\"],\"displayName\":\"" + name + "\""
                + (externalId == null ? "" : ",\"externalId\":\"" + externalId + "\"") + "}";
    }

    @Test
    void groupsCrud() {
        EmulatorHttp.Reply created = http.call("POST", "/scim/v2/Groups", token, group("Field Sales", "X1"), null);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        JsonNode g = http.get("/scim/v2/Groups/" + id, token).json();
        assertThat(g.get("displayName").asText()).isEqualTo("Field Sales");
        assertThat(g.has("members")).as("members are read only through /Groups/{id}/Users").isFalse();
        assertScimError(http.call("POST", "/scim/v2/Groups", token, group("field sales", null), null), 409, "uniqueness");
        assertScimError(http.call("POST", "/scim/v2/Groups", token, "{\"schemas\":[\"" + ScimCodec.GROUP_SCHEMA + "\"]}", null), 400, "invalidValue");
        assertScimError(http.call("POST", "/scim/v2/Groups", token, group("Long", "x".repeat(256)), null), 400, "invalidValue");
        assertScimError(http.call("POST", "/scim/v2/Groups", token, "{\"displayName\":\"No schema\"}", null), 400, "invalidValue");

        JsonNode renamed = http.call("PATCH", "/scim/v2/Groups/" + id, token,
                EmulatorScimUsersTest.patch("replace", "displayName", "\"Inside Sales\""), null).json();
        assertThat(renamed.get("displayName").asText()).isEqualTo("Inside Sales");
        assertScimError(http.call("PATCH", "/scim/v2/Groups/" + id, token,
                EmulatorScimUsersTest.patch("add", "displayName", "\"x\""), null), 400, "invalidValue");
        assertScimError(http.call("PATCH", "/scim/v2/Groups/" + id, token,
                EmulatorScimUsersTest.patch("replace", "members", "[]"), null), 400, "invalidValue");

        JsonNode replaced = http.call("PUT", "/scim/v2/Groups/" + id, token, group("Inside Sales EMEA", null), null).json();
        assertThat(replaced.has("externalId")).isFalse();
        assertThat(http.call("DELETE", "/scim/v2/Groups/" + id, token, null, null).status()).isEqualTo(204);
        assertScimError(http.get("/scim/v2/Groups/" + id, token), 404, null);
        assertScimError(http.call("DELETE", "/scim/v2/Groups/" + id, token, null, null), 404, null);
    }

    @Test
    void groupFilterOnDisplayName() {
        JsonNode page = http.get("/scim/v2/Groups?filter=" + EmulatorHttp.enc("displayName eq \"All Staff\""), token).json();
        assertThat(page.get("totalResults").asInt()).isEqualTo(1);
    }

    @Test
    void groupMembersArePagedFullUsers() {
        String gid = emulator.createGroup("Exactly 250", 250);
        List<String> members = new ArrayList<>();
        int calls = 0;
        for (int start = 1; ; start += 100) {
            JsonNode page = http.get("/scim/v2/Groups/" + gid + "/Users?startIndex=" + start + "&count=100", token).json();
            calls++;
            assertThat(page.get("totalResults").asInt()).isEqualTo(250);
            page.get("Resources").forEach(u -> {
                assertThat(u.get("userName").asText()).isNotBlank();
                members.add(u.get("id").asText());
            });
            if (start + 100 > 250) {
                break;
            }
        }
        assertThat(calls).isEqualTo(3);
        assertThat(members).hasSize(250).doesNotHaveDuplicates();
        assertThat(members).containsExactlyElementsOf(emulator.truth().memberships().get(gid));
        assertThat(http.get("/scim/v2/Groups/" + gid + "/Users", token).json().get("Resources").size()).isEqualTo(10);
        assertScimError(http.get("/scim/v2/Groups/" + UNKNOWN + "/Users", token), 404, null);
    }

    @Test
    void membershipAddRemoveIsIdempotentAnd404sOnUnknownIds() {
        String gid = emulator.createGroup("Empty", 0);
        String uid = emulator.settings().delegatedUserId;
        assertThat(http.call("POST", "/scim/v2/Users/" + uid + "/Groups/" + gid, token, null, null).status()).isEqualTo(204);
        assertThat(http.call("POST", "/scim/v2/Users/" + uid + "/Groups/" + gid, token, null, null).status()).isEqualTo(204);
        assertThat(emulator.truth().memberships().get(gid)).containsExactly(uid);
        JsonNode groupsOfUser = http.get("/scim/v2/Users/" + uid + "/Groups?count=100", token).json();
        assertThat(groupsOfUser.get("Resources").findValuesAsText("id")).contains(gid);
        assertThat(groupsOfUser.get("Resources").get(0).get("displayName").asText()).isNotBlank();
        assertThat(http.call("DELETE", "/scim/v2/Users/" + uid + "/Groups/" + gid, token, null, null).status()).isEqualTo(204);
        assertThat(http.call("DELETE", "/scim/v2/Users/" + uid + "/Groups/" + gid, token, null, null).status()).isEqualTo(204);
        assertThat(emulator.truth().memberships().get(gid)).isEmpty();
        assertScimError(http.call("POST", "/scim/v2/Users/" + UNKNOWN + "/Groups/" + gid, token, null, null), 404, null);
        assertScimError(http.call("POST", "/scim/v2/Users/" + uid + "/Groups/" + UNKNOWN, token, null, null), 404, null);
        assertScimError(http.get("/scim/v2/Users/" + UNKNOWN + "/Groups", token), 404, null);
    }

    @Test
    void writesNeedManageScope() {
        String view = http.token(emulator.settings(), "seismic.user.view");
        EmulatorHttp.Reply r = http.call("POST", "/scim/v2/Groups", view, group("Nope", null), null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("message").asText()).contains("seismic.user.manage");
        String gid = emulator.createGroup("G", 0);
        assertThat(http.call("POST", "/scim/v2/Users/" + emulator.settings().delegatedUserId + "/Groups/" + gid, view, null, null).status()).isEqualTo(403);
        assertThat(http.get("/scim/v2/Groups/" + gid + "/Users", view).status()).isEqualTo(200);
        assertThat(emulator.truth().memberships().get(gid)).isEmpty();
    }
}
