package dev.batonseismic.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmulatorScimUsersTest extends EmulatorTestSupport {

    @BeforeAll
    static void start() {
        start(new EmulatorSettings().users(2500).rateLimit(0, 60));
    }

    @Test
    void pagesThrough2500UsersIn25CallsWithExactTotals() {
        Set<String> ids = new HashSet<>();
        int calls = 0;
        for (int start = 1; ; start += 100) {
            EmulatorHttp.Reply r = http.get("/scim/v2/Users?startIndex=" + start + "&count=100", token);
            calls++;
            JsonNode page = r.json();
            assertThat(r.header("Content-Type")).isEqualTo("application/scim+json; charset=utf-8");
            assertThat(page.get("schemas").get(0).asText()).isEqualTo(ScimCodec.LIST_RESPONSE);
            assertThat(page.get("totalResults").asInt()).isEqualTo(2500);
            assertThat(page.get("startIndex").asInt()).isEqualTo(start);
            assertThat(page.get("itemsPerPage").asInt()).isEqualTo(100);
            page.get("Resources").forEach(u -> ids.add(u.get("id").asText()));
            if (start + 100 > page.get("totalResults").asInt()) {
                break;
            }
        }
        assertThat(calls).isEqualTo(25);
        assertThat(ids).hasSize(2500);
        assertThat(emulator.requests().count("GET /scim/v2/Users")).isEqualTo(25);
    }

    @Test
    void pagingRules() {
        assertThat(http.get("/scim/v2/Users", token).json().get("Resources").size()).as("default count").isEqualTo(10);
        assertThat(http.get("/scim/v2/Users?count=500", token).json().get("Resources").size()).as("cap").isEqualTo(100);
        JsonNode zero = http.get("/scim/v2/Users?count=0", token).json();
        assertThat(zero.get("totalResults").asInt()).isEqualTo(2500);
        assertThat(zero.get("Resources").size()).isZero();
        assertThat(http.get("/scim/v2/Users?count=-5", token).json().get("Resources").size()).isZero();
        JsonNode low = http.get("/scim/v2/Users?startIndex=-3&count=2", token).json();
        assertThat(low.get("startIndex").asInt()).isEqualTo(1);
        assertThat(low.get("Resources").get(0).get("id").asText()).isEqualTo(emulator.settings().delegatedUserId);
        JsonNode past = http.get("/scim/v2/Users?startIndex=2501&count=100", token).json();
        assertThat(past.get("Resources").size()).isZero();
        assertThat(past.get("totalResults").asInt()).isEqualTo(2500);
        JsonNode last = http.get("/scim/v2/Users?startIndex=2451&count=100", token).json();
        assertThat(last.get("itemsPerPage").asInt()).isEqualTo(50);
        EmulatorHttp.Reply bad = http.get("/scim/v2/Users?count=ten", token);
        assertScimError(bad, 400, "invalidValue");
    }

    @Test
    void userRepresentation() {
        JsonNode u = http.get("/scim/v2/Users/" + emulator.settings().delegatedUserId, token).json();
        assertThat(u.get("schemas").get(0).asText()).isEqualTo(ScimCodec.USER_SCHEMA);
        assertThat(u.get("userName").asText()).isEqualTo("integration.admin@demo.example.com");
        assertThat(u.get("active").asBoolean()).isTrue();
        assertThat(u.get("userType").asText()).isEqualTo("Business");
        assertThat(u.get("roles").findValuesAsText("value")).containsExactly("Business", "Admin");
        assertThat(u.get("emails").get(0).get("type").asText()).isEqualTo("work");
        assertThat(u.get("meta").get("resourceType").asText()).isEqualTo("User");
        assertThat(u.has("groups")).as("membership is only read through the custom endpoints").isFalse();
        assertScimError(http.get("/scim/v2/Users/00000000-0000-4000-8000-000000000000", token), 404, null);
    }

    @Test
    void createValidatesAndAnswers201() {
        EmulatorHttp.Reply r = http.call("POST", "/scim/v2/Users", token, newUser("new.person@x.com", null), null);
        assertThat(r.status()).isEqualTo(201);
        JsonNode created = r.json();
        assertThat(r.header("Location")).endsWith("/scim/v2/Users/" + created.get("id").asText());
        assertThat(created.get("active").asBoolean()).as("active defaults to true").isTrue();
        assertThat(http.get("/scim/v2/Users/" + created.get("id").asText(), token).status()).isEqualTo(200);

        assertScimError(http.call("POST", "/scim/v2/Users", token, newUser("new.person@x.com", null), null), 409, "uniqueness");
        assertScimError(http.call("POST", "/scim/v2/Users", token, newUser("NEW.PERSON@x.com", null), null), 409, "uniqueness");
        assertScimError(http.call("POST", "/scim/v2/Users", token, "{\"userName\":\"a@b.c\",\"emails\":[{\"value\":\"a@b.c\",\"type\":\"work\"}]}", null), 400, "invalidValue");
        assertScimError(http.call("POST", "/scim/v2/Users", token, "{\"schemas\":[\"" + ScimCodec.USER_SCHEMA + "\"],\"emails\":[{\"value\":\"a@b.c\",\"type\":\"work\"}]}", null), 400, "invalidValue");
        assertScimError(http.call("POST", "/scim/v2/Users", token, "{\"schemas\":[\"" + ScimCodec.USER_SCHEMA + "\"],\"userName\":\"a@b.c\",\"emails\":[{\"value\":\"a@b.c\",\"type\":\"other\"}]}", null), 400, "invalidValue");
        assertScimError(http.call("POST", "/scim/v2/Users", token, "{not json", null), 400, "invalidSyntax");
        assertScimError(http.call("POST", "/scim/v2/Users", token, newUser("r@x.com", "[{\"value\":\"learner\"}]"), null), 400, "invalidValue");
    }

    @Test
    void rolesWinOverUserTypeOnCreate() {
        String body = newUser("roles.win@x.com", "[{\"value\":\"Premium\"},{\"value\":\"Learner\"}]").replace("\"userType\":\"Business\"", "\"userType\":\"Partner\"");
        JsonNode created = http.call("POST", "/scim/v2/Users", token, body, null).json();
        assertThat(created.get("userType").asText()).isEqualTo("Premium");
        assertThat(created.get("roles").findValuesAsText("value")).containsExactly("Premium", "Learner");
    }

    @Test
    void putReplacesTheWholeUser() {
        String id = http.call("POST", "/scim/v2/Users", token, newUser("put.me@x.com", null), null).json().get("id").asText();
        String replacement = "{\"schemas\":[\"" + ScimCodec.USER_SCHEMA + "\"],\"userName\":\"put.me@x.com\","
                + "\"emails\":[{\"value\":\"put.me@x.com\",\"type\":\"work\"}]}";
        JsonNode after = http.call("PUT", "/scim/v2/Users/" + id, token, replacement, null).json();
        assertThat(after.has("title")).as("omitted fields are cleared").isFalse();
        assertThat(after.has("name")).isFalse();
        assertScimError(http.call("PUT", "/scim/v2/Users/00000000-0000-4000-8000-000000000000", token, replacement, null), 404, null);
    }

    @Test
    void patchSupportsReplaceOnly() {
        String id = http.call("POST", "/scim/v2/Users", token, newUser("patch.me@x.com", null), null).json().get("id").asText();
        assertThat(listed("patch.me@x.com").get("active").asBoolean()).isTrue();
        JsonNode locked = http.call("PATCH", "/scim/v2/Users/" + id, token, patch("replace", "active", "false"), null).json();
        assertThat(locked.get("active").asBoolean()).isFalse();
        assertThat(locked.get(ScimCodec.SEISMIC_EXTENDED).get("deactivatedTime").asText()).isNotBlank();
        JsonNode roles = http.call("PATCH", "/scim/v2/Users/" + id, token,
                patch("replace", "roles", "[{\"value\":\"Business\"},{\"value\":\"Manager\"}]"), null).json();
        assertThat(roles.get("roles").findValuesAsText("value")).containsExactly("Business", "Manager");
        // a page and a single read show the changed user, not the JSON rendered for it before
        assertThat(listed("patch.me@x.com").get("roles").findValuesAsText("value")).containsExactly("Business", "Manager");
        assertThat(listed("patch.me@x.com").get("active").asBoolean()).isFalse();
        assertThat(http.get("/scim/v2/Users/" + id, token).json().get("roles").findValuesAsText("value")).containsExactly("Business", "Manager");
        assertScimError(http.call("PATCH", "/scim/v2/Users/" + id, token, patch("add", "roles", "[{\"value\":\"Admin\"}]"), null), 400, "invalidValue");
        assertScimError(http.call("PATCH", "/scim/v2/Users/" + id, token, patch("remove", "title", "null"), null), 400, "invalidValue");
        assertScimError(http.call("PATCH", "/scim/v2/Users/" + id, token, patch("replace", "roles", "[{\"value\":\"Nope\"}]"), null), 400, "invalidValue");
        assertScimError(http.call("PATCH", "/scim/v2/Users/" + id, token, "{\"Operations\":[]}", null), 400, "invalidValue");
        assertScimError(http.call("PATCH", "/scim/v2/Users/00000000-0000-4000-8000-000000000000", token, patch("replace", "active", "false"), null), 404, null);
    }

    @Test
    void deleteIsPermanentAndDropsMemberships() {
        String uid = emulator.truth().memberships().values().stream().filter(m -> !m.isEmpty()).findFirst().orElseThrow().get(0);
        assertThat(http.call("DELETE", "/scim/v2/Users/" + uid, token, null, null).status()).isEqualTo(204);
        assertThat(http.get("/scim/v2/Users/" + uid, token).status()).isEqualTo(404);
        assertThat(http.call("DELETE", "/scim/v2/Users/" + uid, token, null, null).status()).isEqualTo(404);
        assertThat(emulator.truth().memberships().values()).noneMatch(m -> m.contains(uid));
        assertThat(emulator.truth().counts().get("users")).isEqualTo(2499);
    }

    @Test
    void filtersEqAndCoOnTheDocumentedAttributes() {
        GroundTruth t = emulator.truth();
        GroundTruth.UserView someone = t.users().values().stream().skip(7).findFirst().orElseThrow();
        assertThat(ids("userName eq \"" + someone.userName() + "\"")).containsExactly(someone.id());
        assertThat(ids("username eq \"" + someone.userName().toUpperCase() + "\"")).as("case-insensitive").containsExactly(someone.id());
        assertThat(ids("emails eq \"" + someone.userName() + "\"")).containsExactly(someone.id());
        long business = t.users().values().stream().filter(u -> "Business".equals(u.userType())).count();
        assertThat(total("userType eq \"Business\"")).isEqualTo(business);
        long inactive = t.counts().get("inactiveUsers");
        assertThat(total("active eq false")).isEqualTo(inactive);
        long givenAva = t.users().values().stream().filter(u -> "Ava".equals(u.givenName())).count();
        assertThat(total("name.givenName eq \"Ava\"")).isEqualTo(givenAva);
        long familyCo = t.users().values().stream().filter(u -> u.familyName() != null && u.familyName().toLowerCase().contains("an")).count();
        assertThat(total("name.familyName co \"an\"")).isEqualTo(familyCo);
        long titleCo = t.users().values().stream().filter(u -> u.title() != null && u.title().contains("Manager")).count();
        assertThat(total("title co \"Manager\"")).isEqualTo(titleCo);
        assertThat(total("preferredLanguage eq \"ja_JP\"")).isPositive();
        assertScimError(http.get("/scim/v2/Users?filter=" + EmulatorHttp.enc("userName sw \"a\""), token), 400, "invalidFilter");
        assertScimError(http.get("/scim/v2/Users?filter=" + EmulatorHttp.enc("userName eq \"a\" and active eq true"), token), 400, "invalidFilter");
        assertScimError(http.get("/scim/v2/Users?filter=" + EmulatorHttp.enc("nickName eq \"a\""), token), 400, "invalidFilter");
        assertScimError(http.get("/scim/v2/Users?filter=" + EmulatorHttp.enc("userName eq"), token), 400, "invalidFilter");
    }

    @Test
    void schemasExposeTheSeismicUserExtension() {
        JsonNode schemas = http.get("/scim/v2/Schemas", token).json();
        assertThat(schemas.get("Resources").findValuesAsText("name")).contains("User", "Group", "SeismicUser");
    }

    private Set<String> ids(String filter) {
        JsonNode page = http.get("/scim/v2/Users?count=100&filter=" + EmulatorHttp.enc(filter), token).json();
        Set<String> ids = new HashSet<>();
        page.get("Resources").forEach(u -> ids.add(u.get("id").asText()));
        return ids;
    }

    private JsonNode listed(String userName) {
        JsonNode page = http.get("/scim/v2/Users?filter=" + EmulatorHttp.enc("userName eq \"" + userName + "\""), token).json();
        assertThat(page.get("Resources")).hasSize(1);
        return page.get("Resources").get(0);
    }

    private long total(String filter) {
        return http.get("/scim/v2/Users?count=0&filter=" + EmulatorHttp.enc(filter), token).json().get("totalResults").asLong();
    }

    static String newUser(String userName, String rolesJson) {
        return "{\"schemas\":[\"" + ScimCodec.USER_SCHEMA + "\"],\"userName\":\"" + userName + "\",\"name\":{\"givenName\":\"New\","
                + "\"familyName\":\"Person\"},\"title\":\"AE\",\"userType\":\"Business\",\"emails\":[{\"value\":\"" + userName
                + "\",\"type\":\"work\",\"primary\":true}]" + (rolesJson == null ? "" : ",\"roles\":" + rolesJson) + "}";
    }

    static String patch(String op, String path, String valueJson) {
        return "{\"schemas\":[\"" + ScimCodec.PATCH_OP + "\"],\"Operations\":[{\"op\":\"" + op + "\",\"path\":\"" + path
                + "\",\"value\":" + valueJson + "}]}";
    }

    static void assertScimError(EmulatorHttp.Reply r, int status, String scimType) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode e = r.json();
        assertThat(e.get("schemas").get(0).asText()).isEqualTo(ScimCodec.ERROR);
        assertThat(e.get("status").asText()).isEqualTo(String.valueOf(status));
        assertThat(e.get("detail").asText()).isNotBlank();
        if (scimType != null) {
            assertThat(e.get("scimType").asText()).isEqualTo(scimType);
        }
    }
}
