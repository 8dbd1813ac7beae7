package dev.batonseismic.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmulatorTokenTest {
    static SeismicEmulator emulator;
    static EmulatorHttp http;
    static EmulatorSettings s;

    @BeforeAll
    static void start() {
        emulator = SeismicEmulator.start(new EmulatorSettings().users(20));
        http = new EmulatorHttp(emulator.baseUrl());
        s = emulator.settings();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void fresh() {
        s.appScopes = new java.util.LinkedHashSet<>(List.of(SeismicEmulator.VIEW, SeismicEmulator.MANAGE, SeismicEmulator.REPORTING));
        s.tokenLifetimeSeconds = 3600;
        s.clientActive = true;
        emulator.reset();
    }

    private Map<String, String> form() {
        return new LinkedHashMap<>(Map.of("grant_type", "delegation", "client_id", s.clientId,
                "client_secret", s.clientSecret, "user_id", s.delegatedUserId,
                "scope", "seismic.user.view seismic.user.manage seismic.reporting"));
    }

    @Test
    void delegationGrantIssuesBearerTokenWithScopesAndLifetime() {
        EmulatorHttp.Reply r = http.tokenRequest(s.tenant, form());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(r.json().get("expires_in").asLong()).isEqualTo(3600);
        assertThat(r.json().get("scope").asText()).isEqualTo("seismic.user.view seismic.user.manage seismic.reporting");
        String token = r.json().get("access_token").asText();
        assertThat(http.get("/scim/v2/Users", token).status()).isEqualTo(200);
    }

    @Test
    void omittedScopeGrantsTheAppsScopes() {
        Map<String, String> f = form();
        f.remove("scope");
        s.appScopes = new java.util.LinkedHashSet<>(List.of(SeismicEmulator.VIEW));
        EmulatorHttp.Reply r = http.tokenRequest(s.tenant, f);
        assertThat(r.json().get("scope").asText()).isEqualTo("seismic.user.view");
    }

    @Test
    void clientSecretBasicIsAccepted() {
        Map<String, String> f = form();
        f.remove("client_id");
        f.remove("client_secret");
        String body = f.entrySet().stream().map(e -> EmulatorHttp.enc(e.getKey()) + "=" + EmulatorHttp.enc(e.getValue()))
                .reduce((a, b) -> a + "&" + b).orElseThrow();
        EmulatorHttp.Reply r = http.send(HttpRequest.newBuilder(URI.create(emulator.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((s.clientId + ":" + s.clientSecret).getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void oauthErrors() {
        Map<String, String> wrongSecret = form();
        wrongSecret.put("client_secret", "nope");
        assertOAuthError(http.tokenRequest(s.tenant, wrongSecret), 400, "invalid_client");
        assertOAuthError(http.tokenRequest("other-tenant", form()), 400, "invalid_client");

        Map<String, String> wrongUser = form();
        wrongUser.put("user_id", "00000000-0000-4000-8000-000000000000");
        assertOAuthError(http.tokenRequest(s.tenant, wrongUser), 400, "invalid_grant");

        Map<String, String> wrongScope = form();
        wrongScope.put("scope", "seismic.user.view seismic.library.manage");
        assertOAuthError(http.tokenRequest(s.tenant, wrongScope), 400, "invalid_scope");

        Map<String, String> clientCredentials = form();
        clientCredentials.put("grant_type", "client_credentials");
        assertOAuthError(http.tokenRequest(s.tenant, clientCredentials), 400, "unsupported_grant_type");

        s.clientActive = false;
        assertOAuthError(http.tokenRequest(s.tenant, form()), 400, "invalid_client");
    }

    @Test
    void nonFormBodyIsInvalidRequest() {
        EmulatorHttp.Reply r = http.send(HttpRequest.newBuilder(URI.create(emulator.tokenUrl()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertOAuthError(r, 400, "invalid_request");
    }

    @Test
    void tokensExpireAfterTheirLifetime() {
        s.tokenLifetimeSeconds = 1;
        EmulatorHttp.Reply r = http.tokenRequest(s.tenant, form());
        assertThat(r.json().get("expires_in").asLong()).isEqualTo(1);
        String token = r.json().get("access_token").asText();
        assertThat(http.get("/scim/v2/Users", token).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("/scim/v2/Users", token).status() == 401);
    }

    @Test
    void missingOrRevokedTokenIs401() {
        assertThat(http.get("/scim/v2/Users", null).status()).isEqualTo(401);
        assertThat(http.get("/scim/v2/Users", "made-up").status()).isEqualTo(401);
        String token = http.token(s, null);
        emulator.revokeTokens();
        EmulatorHttp.Reply r = http.get("/scim/v2/Users", token);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("statusCode").asInt()).isEqualTo(401);
    }

    @Test
    void tokensCarryTheirScopes() {
        String viewOnly = http.token(s, "seismic.user.view");
        assertThat(http.get("/scim/v2/Users", viewOnly).status()).isEqualTo(200);
        assertThat(http.call("DELETE", "/scim/v2/Users/" + s.delegatedUserId, viewOnly, null, null).status()).isEqualTo(403);
        assertThat(http.get("/reporting/v2/entitlementRoles", viewOnly).status()).isEqualTo(403);

        String manageOnly = http.token(s, "seismic.user.manage");
        assertThat(http.get("/scim/v2/Groups", manageOnly).status()).isEqualTo(200);
    }

    @Test
    void revokingAnAppScopeTakesEffectOnLiveTokens() {
        String token = http.token(s, null);
        assertThat(http.get("/reporting/v2/entitlementRoles", token).status()).isEqualTo(200);
        s.appScopes = Set.of(SeismicEmulator.VIEW, SeismicEmulator.MANAGE);
        assertThat(http.get("/reporting/v2/entitlementRoles", token).status()).isEqualTo(403);
        assertThat(http.get("/scim/v2/Users", token).status()).isEqualTo(200);
    }

    private static void assertOAuthError(EmulatorHttp.Reply r, int status, String error) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("error").asText()).isEqualTo(error);
        assertThat(r.json().get("error_description").asText()).isNotBlank();
    }
}
