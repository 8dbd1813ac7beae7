package dev.batonseismic.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The control endpoints that the standalone emulator is driven by. */
class EmulatorControlTest extends EmulatorTestSupport {

    @BeforeAll
    static void start() {
        start(new EmulatorSettings().users(120));
    }

    private EmulatorHttp.Reply control(String method, String path, String body) {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(emulator.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void truthRequestsSettingsFaultsResetAndRevoke() {
        JsonNode truth = control("GET", "/_emulator/truth", null).json();
        assertThat(truth.get("counts").get("users").asInt()).isEqualTo(120);
        assertThat(truth.get("minimalScimCalls").asLong()).isEqualTo(emulator.truth().minimalScimCalls());
        JsonNode detail = control("GET", "/_emulator/truth?detail=true", null).json();
        assertThat(detail.get("memberships").size()).isEqualTo(emulator.truth().memberships().size());

        String token = http.token(emulator.settings(), null);
        http.get("/scim/v2/Users", token);
        JsonNode requests = control("GET", "/_emulator/requests", null).json();
        assertThat(requests.get("counters").get("GET /scim/v2/Users").asInt()).isEqualTo(1);
        assertThat(requests.get("entries").get(requests.get("entries").size() - 1).get("path").asText()).isEqualTo("/scim/v2/Users");

        assertThat(control("PUT", "/_emulator/settings", "{\"rateLimit\":1}").json().get("rateLimit").asInt()).isEqualTo(1);
        assertThat(http.get("/scim/v2/Users", token).status()).isEqualTo(429);
        control("PUT", "/_emulator/settings", "{\"rateLimit\":0}");

        assertThat(control("POST", "/_emulator/faults", "{\"kind\":\"STATUS\",\"status\":500,\"pathRegex\":\"/Groups\"}").status()).isEqualTo(201);
        assertThat(http.get("/scim/v2/Groups", token).status()).isEqualTo(500);
        assertThat(http.get("/scim/v2/Groups", token).status()).isEqualTo(200);
        assertThat(control("POST", "/_emulator/faults", "{\"kind\":\"NOPE\"}").status()).isEqualTo(400);

        control("POST", "/_emulator/tokens/revoke", null);
        assertThat(http.get("/scim/v2/Users", token).status()).isEqualTo(401);

        JsonNode reset = control("POST", "/_emulator/reset", "{\"users\":30,\"seed\":5}").json();
        assertThat(reset.get("counts").get("users").asInt()).isEqualTo(30);
        assertThat(control("GET", "/_emulator/requests", null).json().get("counters").size()).isZero();
        assertThat(control("GET", "/_emulator/nope", null).status()).isEqualTo(404);
    }
}
