package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.emulator.FaultInjector.Kind;
import dev.batonseismic.emulator.FaultInjector.Rule;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.emulator.RequestLog;
import dev.batonseismic.seismic.SeismicToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 7's faults during a sync, each against the emulator: the outcome is either the emulator's ground truth, or
 * FAILED with a reason that names the fault while the last good output stays exactly as it was. The table of
 * docs/faults.md points at these tests.
 */
class SyncFaultOutcomesTest extends SyncTestSupport {
    GroundTruth truth;

    @Autowired
    SeismicToken token;

    @BeforeEach
    void tenant() {
        token.invalidate("Bearer " + token.current().value()); // the next call fetches a token: counts start clean
        EMULATOR.regenerate(250, 11); // 3 user pages, 10 groups, the biggest with 175 members (2 pages)
        EMULATOR.faults().clear();
        EMULATOR.hooks().clear();
        EMULATOR.requests().clear();
        EMULATOR.settings().retryAfterHeader = false;
        truth = EMULATOR.truth();
    }

    @AfterEach
    void restore() {
        EMULATOR.faults().clear();
        EMULATOR.hooks().clear();
        EMULATOR.settings().clientActive = true;
    }

    private SyncOutput assertExact(JsonNode status, GroundTruth expected) throws Exception {
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        SyncOutput out = new SyncOutput(Path.of(status.get("outputLocation").asText()));
        assertNoDuplicates(out);
        assertThat(out.of("user").keySet()).isEqualTo(expected.users().keySet());
        assertThat(out.of("group").keySet()).isEqualTo(expected.memberships().keySet());
        assertThat(out.holders("group", "member")).isEqualTo(SyncOutput.asSets(expected.memberships()));
        assertThat(out.holders("role", "assigned")).isEqualTo(SyncOutput.asSets(expected.roleHolders()));
        assertThat(out.holders("license", "assigned")).isEqualTo(SyncOutput.asSets(expected.licenseHolders()));
        return out;
    }

    private SyncOutput assertExact(JsonNode status) throws Exception {
        return assertExact(status, truth);
    }

    /** Every record once: the raw arrays are as long as the distinct ids in them. */
    private static void assertNoDuplicates(SyncOutput out) {
        int resources = out.resources.values().stream().mapToInt(Map::size).sum();
        assertThat(out.doc.get("resources").size()).as("duplicate resources").isEqualTo(resources);
        assertThat(out.doc.get("entitlements").size()).as("duplicate entitlements").isEqualTo(out.entitlements.size());
        assertThat(out.doc.get("grants").size()).as("duplicate grants").isEqualTo(out.grants.size());
    }

    /** The last good output (a good sync first if there is none yet): a failed sync must leave it as it is. */
    private String lastGoodOutput() throws Exception {
        Path latest = SINK_DIR.resolve("latest.json");
        if (!Files.exists(latest)) {
            assertThat(syncToEnd().get("state").asText()).isEqualTo("SUCCEEDED");
            EMULATOR.requests().clear();
        }
        return Files.readString(latest);
    }

    private JsonNode assertFailedKeepingOutput(String latestBefore, String... reason) throws Exception {
        JsonNode failed = syncToEnd();
        assertThat(failed.get("state").asText()).as(failed.toString()).isEqualTo("FAILED");
        assertThat(failed.get("error").asText()).contains(reason);
        assertThat(failed.get("outputLocation").isNull()).isTrue();
        assertThat(Files.readString(SINK_DIR.resolve("latest.json"))).isEqualTo(latestBefore);
        try (var files = Files.list(SINK_DIR)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".") || n.contains(failed.get("id").asText()));
        }
        return failed;
    }

    private long calls(String endpoint) {
        return EMULATOR.requests().count(endpoint);
    }

    // ---- 429, 5xx, resets, timeouts ----

    @Test
    void a429BurstWithOnlyTheBodysWaitIsWaitedOutByEveryone() throws Exception {
        EMULATOR.faults().add(Rule.of(Kind.RATE_LIMIT).onPath("/Groups/").skip(2).times(4).retryAfterSeconds(1));
        JsonNode status = syncToEnd();
        assertExact(status);
        assertThat(status.get("rateLimited").asInt()).isEqualTo(4);
        assertThat(EMULATOR.requests().countPathPrefix("/scim/v2/")).isEqualTo(truth.minimalScimCalls() + 4);
        List<RequestLog.Entry> entries = EMULATOR.requests().entries();
        RequestLog.Entry first = entries.stream().filter(e -> e.status() == 429).findFirst().orElseThrow();
        // calls already on their way when the 429 came back may still succeed: at most one per caller (the group
        // member fetchers and the users' loop); without the shared pause every remaining group would
        assertThat(entries).filteredOn(e -> e.seq() > first.seq() && e.status() == 200 && e.path().startsWith("/scim/")
                        && e.at().isBefore(first.at().plus(Duration.ofMillis(900))))
                .as("after the first 429 (no Retry-After, only the body's 1 s), only calls already in flight succeed before the wait is over")
                .hasSizeLessThanOrEqualTo(SYNC_CONCURRENCY + 1);
    }

    @Test
    void a429ThatNeverEndsFailsAfterBoundedWaits() throws Exception {
        String before = lastGoodOutput();
        EMULATOR.faults().add(Rule.of(Kind.RATE_LIMIT).onPath("^/scim/v2/Users$").times(-1).retryAfterSeconds(0));
        assertFailedKeepingOutput(before, "kept answering 429", "GET /scim/v2/Users");
        assertThat(calls("GET /scim/v2/Users")).as("30 waits, then it gives up").isEqualTo(31);
    }

    @Test
    void aPersistentOutageEndsFailedWithTheReasonAfterBoundedRetries() throws Exception {
        String before = lastGoodOutput();
        EMULATOR.faults().add(Rule.of(Kind.STATUS).status(503).onPath("^/scim/v2/Users$").times(-1));
        assertFailedKeepingOutput(before, "Seismic failed GET /scim/v2/Users 4 times; last: HTTP 503");
        assertThat(calls("GET /scim/v2/Users")).as("seismic.retry.max-attempts").isEqualTo(4);

        EMULATOR.faults().clear();
        EMULATOR.requests().clear();
        EMULATOR.faults().add(Rule.of(Kind.RESET).onPath("^/scim/v2/Groups$").times(-1));
        assertFailedKeepingOutput(before, "Seismic failed GET /scim/v2/Groups 4 times; last:");
    }

    @Test
    void aFailingTokenServerIsRetriedLikeTheApi() throws Exception {
        EMULATOR.faults().add(Rule.of(Kind.STATUS).status(503).onPath("/connect/token").times(2));
        assertExact(syncToEnd());
        assertThat(calls("POST /tenants/{tenant}/connect/token")).isEqualTo(3);
    }

    @Test
    void aResponseSlowerThanTheTimeoutIsCutAndRetried() throws Exception {
        // seismic.http.response-timeout-ms is 1500 in the tests: the 3 s answer is abandoned and asked again
        EMULATOR.faults().add(Rule.of(Kind.SLOW).delayMs(3000).onPath("^/scim/v2/Groups$"));
        assertExact(syncToEnd());
        assertThat(calls("GET /scim/v2/Groups")).isEqualTo(2);
        assertThat(EMULATOR.requests().countPathPrefix("/scim/v2/")).isEqualTo(truth.minimalScimCalls() + 1);
    }

    // ---- broken bodies ----

    @Test
    void truncatedAndNonJsonAnswersAreRetried() throws Exception {
        EMULATOR.faults().add(Rule.of(Kind.TRUNCATE).onPath("^/scim/v2/Users$").skip(1));
        EMULATOR.faults().add(Rule.of(Kind.NOT_JSON).onPath("/Groups/.+/Users"));
        EMULATOR.faults().add(Rule.of(Kind.TRUNCATE).onPath("/reporting/v2/entitlementRoles"));
        assertExact(syncToEnd());
        assertThat(EMULATOR.requests().countPathPrefix("/scim/v2/")).isEqualTo(truth.minimalScimCalls() + 2);
    }

    @Test
    void answersThatStayBrokenFailTheSyncWithTheReason() throws Exception {
        String before = lastGoodOutput();
        EMULATOR.faults().add(Rule.of(Kind.TRUNCATE).onPath("^/scim/v2/Groups$").times(-1));
        assertFailedKeepingOutput(before, "Seismic failed GET /scim/v2/Groups 4 times", "not valid JSON");
    }

    // ---- tokens and credentials ----

    @Test
    void aTokenRevokedMidSyncIsRenewedOnceAndTheResultIsExact() throws Exception {
        EMULATOR.hooks().add("GET", "/Groups/.+/Users", 5, 1, EMULATOR::revokeTokens);
        assertExact(syncToEnd());
        assertThat(calls("POST /tenants/{tenant}/connect/token")).as("first token, then one renewal").isEqualTo(2);
    }

    @Test
    void aTokenRefusedAgainRightAfterRenewalFailsInsteadOfLooping() throws Exception {
        String before = lastGoodOutput();
        EMULATOR.faults().add(Rule.of(Kind.EXPIRE_TOKENS).onPath("^/scim/v2/Users$").times(2));
        // the revocation hits every token: the users' call or a group call read beside it may be the one refused
        assertFailedKeepingOutput(before, "Seismic refused a freshly issued token for GET /scim/v2/", "(401)");
        // the users' call renews once and fails; group member calls running beside it may have met the second
        // revocation too and renewed once together: never a loop
        assertThat(calls("POST /tenants/{tenant}/connect/token")).as("a token, one renewal for each revocation at most").isBetween(2L, 3L);
    }

    @Test
    void credentialsRotatedMidSyncFailWithInvalidClient() throws Exception {
        String before = lastGoodOutput();
        EMULATOR.hooks().add("GET", "/Groups/.+/Users", 3, 1, () -> {
            EMULATOR.settings().clientActive = false; // the secret was rotated in Seismic
            EMULATOR.revokeTokens();
        });
        JsonNode failed = assertFailedKeepingOutput(before, "invalid_client", "BATON_SEISMIC_CLIENT_ID");
        assertThat(failed.get("error").asText()).doesNotContain(EMULATOR.settings().clientSecret);
    }

    // ---- pages that do not add up ----

    @Test
    void aPageWithFewerRecordsThanItClaimsIsReadAgain() throws Exception {
        EMULATOR.faults().add(Rule.of(Kind.SHORT_PAGE).onPath("^/scim/v2/Users$").skip(1));
        String allStaff = biggestGroup();
        EMULATOR.faults().add(Rule.of(Kind.SHORT_PAGE).onPath("^/scim/v2/Groups/" + allStaff + "/Users$"));
        JsonNode status = syncToEnd();
        assertExact(status);
        assertThat(status.get("warnings").toString()).contains("/scim/v2/Users changed while it was read")
                .contains("/scim/v2/Groups/" + allStaff + "/Users changed while it was read");
        assertThat(calls("GET /scim/v2/Users")).as("pass 1: 3 pages and the missing part of the short one (1 record, "
                + "a repeat here: the record left out was not the last), pass 2: 3").isEqualTo(7);
    }

    @Test
    void pagesThatNeverAddUpFailAfterTheLastPass() throws Exception {
        String before = lastGoodOutput();
        EMULATOR.faults().add(Rule.of(Kind.SHORT_PAGE).onPath("^/scim/v2/Users$").times(-1));
        assertFailedKeepingOutput(before, "the listing /scim/v2/Users kept changing while it was read (3 passes",
                "distinct records read");
    }

    // ---- the tenant changing during the sync ----

    @Test
    void usersCreatedAndDeletedMidSyncLeaveNoGapsAndNoDuplicates() throws Exception {
        List<String> order = new ArrayList<>(truth.users().keySet());
        Set<String> before = new HashSet<>(order);
        // before page 3 of the users: 5 users of page 1 go (so 5 not yet read move back onto page 2), 3 arrive
        EMULATOR.hooks().add("GET", "^/scim/v2/Users$", 2, 1, () -> {
            order.subList(10, 15).forEach(EMULATOR::deleteUser);
            IntStream.range(0, 3).forEach(i -> EMULATOR.createUser("midsync" + i + "@demo.example.com"));
        });
        // and before page 2 of the biggest group's members, 3 of its first members leave it
        String allStaff = biggestGroup();
        List<String> members = truth.memberships().get(allStaff);
        EMULATOR.hooks().add("GET", "^/scim/v2/Groups/" + allStaff + "/Users$", 1, 1,
                () -> members.subList(0, 3).forEach(uid -> EMULATOR.removeMember(uid, allStaff)));
        JsonNode status = syncToEnd();
        GroundTruth after = EMULATOR.truth();
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        SyncOutput out = new SyncOutput(Path.of(status.get("outputLocation").asText()));
        assertNoDuplicates(out);
        Set<String> throughout = new HashSet<>(before);
        throughout.retainAll(after.users().keySet());
        Set<String> either = new HashSet<>(before);
        either.addAll(after.users().keySet());
        assertThat(out.of("user").keySet()).as("no gaps: every user that existed throughout, and the new ones")
                .containsAll(throughout).containsAll(after.users().keySet())
                .as("nothing that never existed").isSubsetOf(either);
        // member lists are read beside the users: a deleted user's memberships are in the output when its groups were
        // read before it went (access held then), and absent when read after; every other membership is there
        Map<String, Set<String>> atStart = SyncOutput.asSets(truth.memberships());
        Map<String, Set<String>> atEnd = SyncOutput.asSets(after.memberships());
        Map<String, Set<String>> held = out.holders("group", "member");
        assertThat(held.keySet()).isEqualTo(atEnd.keySet());
        atEnd.forEach((group, endMembers) -> {
            Set<String> throughoutMembers = new HashSet<>(endMembers);
            throughoutMembers.retainAll(atStart.getOrDefault(group, Set.of()));
            Set<String> anyTime = new HashSet<>(endMembers);
            anyTime.addAll(atStart.getOrDefault(group, Set.of()));
            assertThat(held.get(group)).as("members of %s: every one that stayed, none that never was", group)
                    .containsAll(throughoutMembers).isSubsetOf(anyTime);
        });
        assertThat(held.get(allStaff)).as("read on page 1, before they left: access they held then")
                .containsAll(members.subList(0, 3));
        assertThat(status.get("warnings").toString()).contains("/scim/v2/Users changed while it was read");
    }

    @Test
    void aTenantThatNeverStopsChangingFailsRatherThanPublishHoles() throws Exception {
        String before = lastGoodOutput();
        List<String> order = new ArrayList<>(truth.users().keySet());
        int[] next = {1};
        EMULATOR.hooks().add("GET", "^/scim/v2/Users$", 1, -1, () -> EMULATOR.deleteUser(order.get(next[0]++)));
        // users are deleted on every users page; the member lists read beside them change too, so either listing
        // may be the first to give up
        assertFailedKeepingOutput(before, "kept changing while it was read", "totalResults");
    }

    @Test
    void aGroupDeletedBeforeItsMembersAreReadIsLeftOutWithAWarning() throws Exception {
        String gone = truth.memberships().entrySet().stream().filter(e -> e.getValue().size() > 5).map(Map.Entry::getKey)
                .filter(g -> !g.equals(biggestGroup())).findFirst().orElseThrow();
        String name = truth.groupNames().get(gone);
        EMULATOR.hooks().add("GET", "^/scim/v2/Groups/" + gone + "/Users$", 0, 1, () -> EMULATOR.deleteGroup(gone));
        JsonNode status = syncToEnd();
        SyncOutput out = assertExact(status, EMULATOR.truth());
        assertThat(out.of("group")).doesNotContainKey(gone);
        assertThat(out.entitlements).doesNotContainKey("group:" + gone + ":member");
        assertThat(status.get("warnings").toString()).contains("group '" + name + "' (" + gone + ") was deleted during the sync");
    }

    @Test
    void aGroupDeletedWhileItsMembersAreReadKeepsTheMembersReadBefore() throws Exception {
        String allStaff = biggestGroup();
        List<String> members = truth.memberships().get(allStaff);
        assertThat(members).hasSizeGreaterThan(100);
        EMULATOR.hooks().add("GET", "^/scim/v2/Groups/" + allStaff + "/Users$", 1, 1, () -> EMULATOR.deleteGroup(allStaff));
        JsonNode status = syncToEnd();
        assertThat(status.get("state").asText()).isEqualTo("SUCCEEDED");
        SyncOutput out = new SyncOutput(Path.of(status.get("outputLocation").asText()));
        assertNoDuplicates(out);
        Map<String, Set<String>> expected = new HashMap<>(SyncOutput.asSets(EMULATOR.truth().memberships()));
        expected.put(allStaff, new HashSet<>(members.subList(0, 100)));
        assertThat(out.holders("group", "member")).isEqualTo(expected);
        assertThat(out.of("group")).containsKey(allStaff);
        assertThat(status.get("warnings").toString()).contains("was deleted while its members were read: reported with the 100 member(s)");
    }

    private String biggestGroup() {
        return truth.memberships().entrySet().stream().max(Map.Entry.comparingByValue((a, b) -> a.size() - b.size()))
                .orElseThrow().getKey();
    }
}
