package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.emulator.FaultInjector;
import dev.batonseismic.emulator.FaultInjector.Kind;
import dev.batonseismic.emulator.FaultInjector.Rule;
import dev.batonseismic.emulator.GroundTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults in the middle of a sync end in the right picture, or in a loud failure that keeps the last good one. */
class SyncFaultsTest extends SyncTestSupport {
    GroundTruth truth;

    @org.springframework.beans.factory.annotation.Autowired
    dev.batonseismic.seismic.SeismicToken token;

    @BeforeEach
    void tenant() {
        token.invalidate("Bearer " + token.current().value()); // the next call fetches a token: counts start clean
        EMULATOR.regenerate(600, 11);
        EMULATOR.faults().clear();
        EMULATOR.requests().clear();
        truth = EMULATOR.truth();
    }

    @AfterEach
    void restore() {
        EMULATOR.faults().clear();
        EMULATOR.settings().appScopes = new LinkedHashSet<>(List.of("seismic.user.view", "seismic.user.manage", "seismic.reporting"));
    }

    private SyncOutput assertExact(JsonNode status) throws Exception {
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        SyncOutput out = new SyncOutput(Path.of(status.get("outputLocation").asText()));
        assertThat(out.of("user").keySet()).isEqualTo(truth.users().keySet());
        assertThat(out.holders("group", "member")).isEqualTo(SyncOutput.asSets(truth.memberships()));
        assertThat(out.holders("license", "assigned")).isEqualTo(SyncOutput.asSets(truth.licenseHolders()));
        return out;
    }

    private long scimCalls() {
        return EMULATOR.requests().entries().stream().filter(e -> e.path().startsWith("/scim/v2/")).count();
    }

    @Test
    void tokenExpiryMidSyncIsRenewedOnce() throws Exception {
        EMULATOR.faults().add(Rule.of(Kind.EXPIRE_TOKENS).onPath("^/scim/v2/Users$").skip(3));
        SyncOutput out = assertExact(syncToEnd());
        assertThat(out.holders("role", "assigned")).isEqualTo(SyncOutput.asSets(truth.roleHolders()));
        // users and groups are fetched side by side: every call in flight when the token died earns one 401
        // (at most sync.concurrency member fetches + the users page), and each is repeated once with the new token
        long unauthorized = EMULATOR.requests().entries().stream().filter(e -> e.status() == 401).count();
        assertThat(unauthorized).isBetween(1L, 5L);
        assertThat(EMULATOR.requests().count("POST /tenants/{tenant}/connect/token")).as("first token, then one renewal").isEqualTo(2);
        assertThat(scimCalls()).isEqualTo(truth.minimalScimCalls() + unauthorized);
    }

    @Test
    void a429MidSyncWaitsWhatSeismicSaysAndCountsIt() throws Exception {
        EMULATOR.faults().add(Rule.of(Kind.RATE_LIMIT).onPath("/Groups/").skip(2).retryAfterSeconds(1));
        JsonNode status = syncToEnd();
        assertExact(status);
        assertThat(status.get("rateLimited").asInt()).isEqualTo(1);
        assertThat(scimCalls()).isEqualTo(truth.minimalScimCalls() + 1);
        var entries = EMULATOR.requests().entries();
        int limited = java.util.stream.IntStream.range(0, entries.size()).filter(i -> entries.get(i).status() == 429).findFirst().orElseThrow();
        var retry = entries.stream().skip(limited + 1).filter(e -> e.path().equals(entries.get(limited).path())).findFirst().orElseThrow();
        assertThat(java.time.Duration.between(entries.get(limited).at(), retry.at())).as("waited the 1 s Seismic asked for")
                .isGreaterThanOrEqualTo(java.time.Duration.ofMillis(900));
    }

    @Test
    void serverErrorsAndBrokenConnectionsAreRetried() throws Exception {
        EMULATOR.faults().add(Rule.of(Kind.STATUS).status(503).onPath("^/scim/v2/Users$").skip(1).times(2));
        EMULATOR.faults().add(Rule.of(Kind.RESET).onPath("^/scim/v2/Groups$"));
        EMULATOR.faults().add(Rule.of(Kind.STATUS).status(500).onPath("/reporting/"));
        assertExact(syncToEnd());
    }

    @Test
    void withoutTheReportingScopeRolesFallBackToScimRoleNames() throws Exception {
        EMULATOR.settings().appScopes = new LinkedHashSet<>(List.of("seismic.user.view", "seismic.user.manage"));
        JsonNode status = syncToEnd();
        SyncOutput out = assertExact(status);
        assertThat(status.get("warnings").toString()).contains("lacks seismic.reporting");
        Map<String, Set<String>> expected = new HashMap<>();
        truth.users().values().forEach(u -> u.roles().stream()
                .filter(r -> !List.of("Business", "Premium", "Partner").contains(r))
                .forEach(r -> expected.computeIfAbsent(r, k -> new HashSet<>()).add(u.id())));
        assertThat(out.holders("role", "assigned")).isEqualTo(expected);
        assertThat(out.of("role").keySet()).isEqualTo(expected.keySet()).contains("Legacy Publisher").doesNotContain("Business");
    }

    @Test
    void aFailedSyncKeepsTheLastGoodResult() throws Exception {
        JsonNode good = syncToEnd();
        assertThat(good.get("state").asText()).isEqualTo("SUCCEEDED");
        Path latest = Path.of(good.get("outputLocation").asText()).resolveSibling("latest.json");
        String before = Files.readString(latest);

        EMULATOR.faults().add(Rule.of(Kind.STATUS).status(502).onPath("/Groups/").skip(3).times(-1));
        JsonNode failed = syncToEnd();
        assertThat(failed.get("state").asText()).isEqualTo("FAILED");
        assertThat(failed.get("error").asText()).contains("HTTP 502").contains("/scim/v2/Groups/");
        assertThat(failed.get("outputLocation").isNull()).isTrue();
        assertThat(Files.readString(latest)).isEqualTo(before);
        try (var files = Files.list(latest.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".") || n.contains(failed.get("id").asText()));
        }
    }

    @Test
    void refusedCredentialsFailWithTheReason() throws Exception {
        EMULATOR.revokeTokens();
        EMULATOR.settings().clientActive = false;
        try {
            JsonNode failed = syncToEnd();
            assertThat(failed.get("state").asText()).isEqualTo("FAILED");
            assertThat(failed.get("error").asText()).contains("invalid_client").contains("BATON_SEISMIC_CLIENT_ID")
                    .doesNotContain(EMULATOR.settings().clientSecret);
        } finally {
            EMULATOR.settings().clientActive = true;
        }
    }

    @Test
    void aSecondRequestWhileRunningGetsTheRunningSync() throws Exception {
        EMULATOR.faults().add(FaultInjector.Rule.of(Kind.SLOW).delayMs(500).onPath("^/scim/v2/Users$"));
        String first = startSync();
        String second = startSync();
        assertThat(second).isEqualTo(first);
        assertThat(awaitEnd(first).get("state").asText()).isEqualTo("SUCCEEDED");
    }
}
