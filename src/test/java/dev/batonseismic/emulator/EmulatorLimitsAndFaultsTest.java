package dev.batonseismic.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmulatorLimitsAndFaultsTest extends EmulatorTestSupport {

    @BeforeAll
    static void start() {
        start(new EmulatorSettings().users(50));
    }

    @BeforeEach
    void defaultLimits() {
        EmulatorSettings s = emulator.settings();
        s.rateLimit = 600;
        s.rateWindowSeconds = 60;
        s.retryAfterHeader = false;
        s.latencyMs = 0;
    }

    @Test
    void documentedHeadersOnEveryApiResponse() {
        EmulatorHttp.Reply first = http.get("/scim/v2/Users", token);
        assertThat(first.header("X-Seismic-Remaining-Calls")).isEqualTo("599");
        assertThat(first.header("X-Seismic-Total-Calls")).isEqualTo("1");
        EmulatorHttp.Reply second = http.get("/scim/v2/Users/00000000-0000-4000-8000-000000000000", token);
        assertThat(second.status()).isEqualTo(404);
        assertThat(second.header("X-Seismic-Remaining-Calls")).isEqualTo("598");
        assertThat(http.get("/reporting/v2/entitlementRoles", token).header("X-Seismic-Total-Calls")).isEqualTo("3");
    }

    @Test
    void exceedingTheLimitAnswersTheDocumented429() {
        emulator.settings().rateLimit = 5;
        for (int i = 0; i < 5; i++) {
            assertThat(http.get("/scim/v2/Users", token).status()).isEqualTo(200);
        }
        EmulatorHttp.Reply limited = http.get("/scim/v2/Groups", token);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("statusCode").asInt()).isEqualTo(429);
        assertThat(limited.json().get("message").asText()).matches("Rate limit is exceeded\\. Try again in ([1-9]|[1-5][0-9]|60) seconds\\.");
        assertThat(limited.json().get("tenant").asText()).isEqualTo("demo");
        assertThat(limited.json().get("clientId").asText()).isEqualTo(emulator.settings().clientId);
        assertThat(limited.header("X-Seismic-Remaining-Calls")).isEqualTo("0");
        assertThat(limited.header("X-Seismic-Total-Calls")).isEqualTo("5");
        assertThat(limited.header("Retry-After")).as("Seismic sends no Retry-After").isNull();
        assertThat(http.tokenRequest("demo", java.util.Map.of("grant_type", "delegation", "client_id", emulator.settings().clientId,
                "client_secret", emulator.settings().clientSecret, "user_id", emulator.settings().delegatedUserId)).status())
                .as("the token server is not behind the API limit").isEqualTo(200);

        emulator.settings().retryAfterHeader = true;
        assertThat(http.get("/scim/v2/Groups", token).header("Retry-After")).matches("[0-9]+");
    }

    @Test
    void windowRollsOver() {
        emulator.settings().rateLimit(2, 1);
        http.get("/scim/v2/Users", token);
        http.get("/scim/v2/Users", token);
        assertThat(http.get("/scim/v2/Users", token).status()).isEqualTo(429);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> http.get("/scim/v2/Users", token).status() == 200);
    }

    @Test
    void limitCanBeSwitchedOff() {
        emulator.settings().rateLimit = 0;
        for (int i = 0; i < 20; i++) {
            EmulatorHttp.Reply r = http.get("/scim/v2/Users", token);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Seismic-Remaining-Calls")).isNull();
        }
    }

    @Test
    void latencyIsAddedToEveryResponse() {
        emulator.settings().latencyMs = 300;
        long start = System.nanoTime();
        assertThat(http.get("/scim/v2/Users", token).status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    @Test
    void injectedServerErrorThenRecovery() {
        emulator.faults().add(FaultInjector.Rule.of(FaultInjector.Kind.STATUS).status(502).onPath("/Groups").skip(1).times(2));
        assertThat(http.get("/scim/v2/Groups", token).status()).isEqualTo(200);
        assertThat(http.get("/scim/v2/Users", token).status()).as("other paths unaffected").isEqualTo(200);
        EmulatorHttp.Reply failed = http.get("/scim/v2/Groups", token);
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.json().get("statusCode").asInt()).isEqualTo(502);
        assertThat(http.get("/scim/v2/Groups", token).status()).isEqualTo(502);
        assertThat(http.get("/scim/v2/Groups", token).status()).isEqualTo(200);
        assertThat(emulator.requests().entries()).filteredOn(e -> "STATUS".equals(e.fault())).hasSize(2);
    }

    @Test
    void injected429CarriesTheDocumentedBody() {
        emulator.faults().add(FaultInjector.Rule.of(FaultInjector.Kind.RATE_LIMIT).retryAfterSeconds(7));
        EmulatorHttp.Reply r = http.get("/scim/v2/Users", token);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.json().get("message").asText()).isEqualTo("Rate limit is exceeded. Try again in 7 seconds.");
    }

    @Test
    void truncatedBodyAndConnectionReset() {
        String full = http.get("/scim/v2/Users", token).body();
        emulator.faults().add(FaultInjector.Rule.of(FaultInjector.Kind.TRUNCATE));
        EmulatorHttp.Reply cut = http.get("/scim/v2/Users", token);
        assertThat(cut.body()).hasSize(full.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 2).isEqualTo(full.substring(0, cut.body().length()));
        assertThatThrownBy(cut::json).isInstanceOf(UncheckedIOException.class);
        // times(-1): java.net.http retries an idempotent request once on a pooled connection that closes
        emulator.faults().add(FaultInjector.Rule.of(FaultInjector.Kind.RESET).onMethod("GET").times(-1));
        assertThatThrownBy(() -> http.get("/scim/v2/Users", token)).isInstanceOf(UncheckedIOException.class);
        emulator.faults().clear();
        assertThat(http.get("/scim/v2/Users", token).status()).isEqualTo(200);
    }

    @Test
    void slowResponse() {
        emulator.faults().add(FaultInjector.Rule.of(FaultInjector.Kind.SLOW).delayMs(400));
        long start = System.nanoTime();
        assertThat(http.get("/scim/v2/Users", token).status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
    }

    @Test
    void requestLogCountsPerEndpointTemplate() {
        String gid = emulator.truth().memberships().keySet().iterator().next();
        http.get("/scim/v2/Groups/" + gid + "/Users", token);
        http.get("/scim/v2/Groups/" + gid + "/Users?startIndex=11", token);
        http.get("/scim/v2/Users", token);
        assertThat(emulator.requests().count("GET /scim/v2/Groups/{id}/Users")).isEqualTo(2);
        assertThat(emulator.requests().count("GET /scim/v2/Users")).isEqualTo(1);
        assertThat(emulator.requests().count("POST /tenants/{tenant}/connect/token")).isEqualTo(1);
        assertThat(emulator.requests().entries()).last().satisfies(e -> assertThat(e.status()).isEqualTo(200));
    }
}
