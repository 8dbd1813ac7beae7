package dev.batonseismic.c1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.baton.v2.AccountInfo;
import dev.batonseismic.baton.v2.Capability;
import dev.batonseismic.baton.v2.ConnectorMetadata;
import dev.batonseismic.baton.v2.CreateAccountResponse;
import dev.batonseismic.baton.v2.Entitlement;
import dev.batonseismic.baton.v2.Grant;
import dev.batonseismic.baton.v2.GrantAlreadyExists;
import dev.batonseismic.baton.v2.GrantAlreadyRevoked;
import dev.batonseismic.baton.v2.GrantManagerServiceGrantResponse;
import dev.batonseismic.baton.v2.GrantManagerServiceRevokeResponse;
import dev.batonseismic.baton.v2.Resource;
import dev.batonseismic.baton.v2.ResourceId;
import dev.batonseismic.baton.v2.ResourceTypeCapability;
import dev.batonseismic.c1.api.BatonServiceHelloRequest;
import dev.batonseismic.c1.api.Task;
import dev.batonseismic.c1emulator.C1Records;
import dev.batonseismic.c1emulator.C1TaskBuilders;
import dev.batonseismic.emulator.FaultInjector.Kind;
import dev.batonseismic.emulator.FaultInjector.Rule;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.emulator.RequestLog;
import dev.batonseismic.sink.C1zReader;
import dev.batonseismic.sync.SyncGuard;
import io.grpc.Status;
import org.apache.camel.CamelContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Service mode end to end: the connector polls the C1 emulator, carries out each task type against the Seismic
 * emulator, and finishes it with baton's response; syncs are uploaded as .c1z files and compared with the Seismic
 * emulator's ground truth; faults on the C1 side are recovered from with nothing lost and no second Seismic write.
 */
@ExtendWith(OutputCaptureExtension.class)
class C1ServiceModeTest extends C1TestSupport {
    @Autowired
    SyncGuard guard;

    @Autowired
    CamelContext camel;

    @BeforeEach
    void clean() {
        awaitConnected();
        // what an earlier test started (a stopped sync's last pages) is over before this one counts calls
        await().atMost(TASK_TIMEOUT).until(() -> c1Status().get("running").isEmpty() && EMULATOR.requests().inFlight() == 0
                && !rest.getForObject("/api/v1/syncs", String.class).contains("\"RUNNING\""));
        C1.reset();
        EMULATOR.faults().clear();
        EMULATOR.settings().latencyMs = 0;
    }

    @AfterEach
    void noFaultsLeft() {
        EMULATOR.faults().clear();
        guard.maxDropPercent(100);
    }

    // ---- Hello ----

    @Test
    void helloTellsWhoItIsAndWhatItCanDo() throws Exception {
        String id = C1.enqueue(C1TaskBuilders.hello());
        await().atMost(TASK_TIMEOUT).until(() -> C1.hellos().stream().anyMatch(h -> h.request().getTaskId().equals(id)));
        BatonServiceHelloRequest hello = C1.hellos().stream().filter(h -> h.request().getTaskId().equals(id)).findFirst().orElseThrow().request();
        assertThat(hello.getHostId()).isEqualTo(HOST_ID);
        assertThat(hello.getBuildInfo().getLangVersion()).startsWith("java 17");
        assertThat(hello.getBuildInfo().getPackage()).isEqualTo("dev.batonseismic:seismic-connector");
        assertThat(hello.getBuildInfo().getPackageVersion()).isEqualTo("0.1.0-SNAPSHOT");
        BatonServiceHelloRequest.OSInfo os = hello.getOsInfo();
        assertThat(List.of(os.getHostname(), os.getOs(), os.getPlatform(), os.getPlatformVersion(), os.getPlatformFamily(),
                os.getKernelVersion(), os.getKernelArch(), os.getVirtualizationSystem())).allSatisfy(v -> assertThat(v).isNotBlank());
        ConnectorMetadata metadata = hello.getConnectorMetadata();
        assertThat(metadata.getDisplayName()).isEqualTo("Seismic");
        Map<String, Set<Capability>> caps = capabilities(metadata);
        assertThat(caps).containsOnlyKeys("group", "license", "role", "user");
        assertThat(caps.get("group")).containsExactlyInAnyOrder(Capability.CAPABILITY_SYNC, Capability.CAPABILITY_PROVISION,
                Capability.CAPABILITY_TARGETED_SYNC);
        assertThat(caps.get("role")).containsExactlyInAnyOrder(Capability.CAPABILITY_SYNC, Capability.CAPABILITY_PROVISION);
        assertThat(caps.get("license")).containsExactly(Capability.CAPABILITY_SYNC);
        assertThat(caps.get("user")).containsExactlyInAnyOrder(Capability.CAPABILITY_SYNC, Capability.CAPABILITY_TARGETED_SYNC,
                Capability.CAPABILITY_ACCOUNT_PROVISIONING, Capability.CAPABILITY_RESOURCE_DELETE);
        assertThat(metadata.getCapabilities().getConnectorCapabilitiesList()).as("C1 may send targeted sync tasks")
                .contains(Capability.CAPABILITY_SERVICE_MODE_TARGETED_SYNC);
        assertThat(metadata.getAccountCreationSchema().getFieldMapMap()).containsKeys("email", "first_name", "last_name");
        assertThat(metadata.getAccountCreationSchema().getFieldMapOrThrow("email").getRequired()).isTrue();
        // a hello task is answered with Hello, not finished (as baton-sdk does)
        assertThat(C1.finishes(id)).isEmpty();

        assertThat(C1.calls()).allSatisfy(c -> assertThat(c.userAgent()).startsWith(C1.settings().clientName + " seismic-connector/"));
        assertThat(C1.tlsConnections()).allSatisfy(t -> assertThat(t.tlsVersion()).isIn("TLSv1.2", "TLSv1.3"));
        JsonNode status = c1Status();
        assertThat(status.get("hostId").asText()).isEqualTo(HOST_ID);
        assertThat(status.get("lastHello").asText()).isNotEmpty();
        JsonNode readiness = JSON.readTree(rest.getForObject("/actuator/health/readiness", String.class));
        assertThat(readiness.at("/components/c1/status").asText()).isEqualTo("UP");
        assertThat(readiness.at("/components/c1/details/state").asText()).isEqualTo("CONNECTED");
        // Hello on every replica, GetTask on the leader only: in Kubernetes only a ready pod may take the leader Lease,
        // and readiness waits for Hello, so Hello under the leader election would never happen
        assertThat(camel.getRoute("c1-connect").getEndpoint().getEndpointUri()).startsWith("timer:");
        assertThat(camel.getRoute("c1-poll").getRoutePolicyList()).as("the poll runs on the leader only")
                .filteredOn(org.apache.camel.impl.cluster.ClusteredRoutePolicy.class::isInstance).hasSize(1);
        // the context's first Hellos were refused (C1TestSupport): retried with a backoff until C1 answered
        assertThat(rest.getForObject("/actuator/prometheus", String.class))
                .contains("c1_poll_errors_total{reason=\"unavailable\",step=\"hello\"} " + STARTUP_HELLO_FAILURES + ".0")
                .contains("c1_connected 1.0");
    }

    private static Map<String, Set<Capability>> capabilities(ConnectorMetadata metadata) {
        Map<String, Set<Capability>> out = new HashMap<>();
        for (ResourceTypeCapability c : metadata.getCapabilities().getResourceTypeCapabilitiesList()) {
            out.put(c.getResourceType().getId(), Set.copyOf(c.getCapabilitiesList()));
        }
        return out;
    }

    // ---- sync_full ----

    @Test
    void aFullSyncIsUploadedAsAC1zHoldingTheTenant() throws Exception {
        EMULATOR.regenerate(2500, 7);
        GroundTruth truth = EMULATOR.truth();
        EMULATOR.requests().clear();
        Files.createDirectories(TEMP_DIR);
        Path stray = Files.writeString(TEMP_DIR.resolve(".c1-sync-3MyEarlierTaskKilledMidSync0.c1z-x.db"), "left by a killed sync");
        String id = C1.enqueue(C1TaskBuilders.syncFull());
        C1Records.FinishCall finish = finished(id);
        assertThat(finish.succeeded()).as(finish.request().toString()).isTrue();

        List<C1Records.UploadAttempt> attempts = C1.uploadAttempts(id);
        assertThat(attempts).hasSize(1);
        List<Integer> chunks = attempts.get(0).chunkSizes();
        assertThat(chunks.size()).as("a c1z of 2,500 users spans several chunks").isGreaterThan(1);
        assertThat(chunks.subList(0, chunks.size() - 1)).containsOnly(C1Client.CHUNK_BYTES);
        assertThat(attempts.get(0).hostId()).isEqualTo(HOST_ID);
        assertThat(finish.at()).isAfter(attempts.get(0).at());

        try (C1zReader c1z = new C1zReader(C1.uploads(id).get(0))) {
            assertThat(c1z.header).containsExactly('C', '1', 'Z', 'F', 0);
            assertThat(ids(c1z, "select substr(external_id, 6) from v1_resources where resource_type_id = 'user'"))
                    .isEqualTo(truth.users().keySet());
            assertThat(ids(c1z, "select substr(external_id, 7) from v1_resources where resource_type_id = 'group'"))
                    .isEqualTo(truth.memberships().keySet());
            assertThat(pairs(c1z, "group", "member")).isEqualTo(nonEmpty(truth.memberships()));
            assertThat(pairs(c1z, "role", "assigned")).isEqualTo(nonEmpty(truth.roleHolders()));
            assertThat(pairs(c1z, "license", "assigned")).isEqualTo(nonEmpty(truth.licenseHolders()));
            assertThat(c1z.count("select count(*) from v1_sync_runs where sync_type = 'full' and ended_at is not null")).isEqualTo(1);
        }
        // exactly the calls of one sync: Seismic was read once
        assertThat(EMULATOR.requests().countPathPrefix("/scim/v2/")).isEqualTo(truth.minimalScimCalls());
        try (Stream<Path> left = Files.exists(TEMP_DIR) ? Files.list(TEMP_DIR) : Stream.empty()) {
            assertThat(left).as("no temporary file outlives the task, nor one an earlier process left").isEmpty();
        }
        assertThat(stray).doesNotExist();
        JsonNode task = recent(id);
        assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode sync = JSON.readTree(rest.getForObject("/api/v1/syncs/" + task.get("syncId").asText(), String.class));
        assertThat(sync.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(sync.get("outputLocation").asText()).isEqualTo("c1:task/" + id);
        assertThat(sync.get("origin").asText()).isEqualTo("c1 task " + id);
    }

    @Test
    void aPartialSyncReadsAndUploadsOnlyItsResourceTypes() throws Exception {
        EMULATOR.regenerate(300, 8);
        GroundTruth truth = EMULATOR.truth();
        EMULATOR.requests().clear();
        String id = C1.enqueue(C1TaskBuilders.syncFull(Task.SyncFullTask.newBuilder().addSyncResourceTypeIds("group").setSkipGrants(true)));
        assertThat(finished(id).succeeded()).isTrue();
        try (C1zReader c1z = new C1zReader(C1.uploads(id).get(0))) {
            assertThat(ids(c1z, "select distinct resource_type_id from v1_resources")).containsExactly("group");
            assertThat(c1z.count("select count(*) from v1_resources")).isEqualTo(truth.memberships().size());
            assertThat(c1z.count("select count(*) from v1_entitlements")).isEqualTo(truth.memberships().size());
            assertThat(c1z.count("select count(*) from v1_grants")).isZero();
            assertThat(ids(c1z, "select external_id from v1_resource_types")).containsExactly("group");
            assertThat(ids(c1z, "select sync_type from v1_sync_runs")).containsExactly("partial");
        }
        assertThat(EMULATOR.requests().entries()).extracting(RequestLog.Entry::path).allMatch(p -> p.equals("/scim/v2/Groups")
                || p.endsWith("/token"));
        String resourcesOnly = C1.enqueue(C1TaskBuilders.syncFull(Task.SyncFullTask.newBuilder().setSkipEntitlementsAndGrants(true)));
        assertThat(finished(resourcesOnly).succeeded()).isTrue();
        try (C1zReader c1z = new C1zReader(C1.uploads(resourcesOnly).get(0))) {
            assertThat(ids(c1z, "select sync_type from v1_sync_runs")).containsExactly("resources_only");
            assertThat(c1z.count("select count(*) from v1_entitlements") + c1z.count("select count(*) from v1_grants")).isZero();
            assertThat(c1z.count("select count(*) from v1_resources where resource_type_id = 'user'")).isEqualTo(truth.users().size());
        }

        String bad = C1.enqueue(C1TaskBuilders.syncFull(Task.SyncFullTask.newBuilder().addSyncResourceTypeIds("team")));
        C1Records.FinishCall refused = finished(bad);
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.request().getError().getNonRetryable()).isTrue();
        assertThat(refused.request().getStatus().getMessage()).contains("unknown resource type 'team'");
    }

    @Test
    void aTargetedSyncReadsAndUploadsOnlyTheTaskResources() throws Exception {
        EMULATOR.regenerate(300, 9);
        GroundTruth truth = EMULATOR.truth();
        String gid = truth.memberships().entrySet().stream().filter(e -> e.getValue().size() > 1).findFirst().orElseThrow().getKey();
        String uid = truth.users().keySet().iterator().next();
        EMULATOR.requests().clear();
        String id = C1.enqueue(C1TaskBuilders.syncFull(Task.SyncFullTask.newBuilder()
                .addTargetedSyncResources(Resource.newBuilder().setId(ResourceId.newBuilder().setResourceType("group").setResource(gid)))
                .addTargetedSyncResources(user(uid))));
        C1Records.FinishCall finish = finished(id);
        assertThat(finish.succeeded()).as(finish.request().toString()).isTrue();
        try (C1zReader c1z = new C1zReader(C1.uploads(id).get(0))) {
            assertThat(ids(c1z, "select external_id from v1_resources")).containsExactlyInAnyOrder("group:" + gid, "user:" + uid);
            assertThat(pairs(c1z, "group", "member")).isEqualTo(Map.of(gid, Set.copyOf(truth.memberships().get(gid))));
            assertThat(ids(c1z, "select sync_type from v1_sync_runs")).containsExactly("partial");
        }
        assertThat(EMULATOR.requests().entries()).extracting(RequestLog.Entry::path).as("each resource read by its id")
                .allMatch(p -> p.equals("/scim/v2/Groups/" + gid) || p.equals("/scim/v2/Groups/" + gid + "/Users")
                        || p.equals("/scim/v2/Users/" + uid) || p.endsWith("/token"))
                .contains("/scim/v2/Groups/" + gid, "/scim/v2/Users/" + uid);

        String role = C1.enqueue(C1TaskBuilders.syncFull(Task.SyncFullTask.newBuilder()
                .addTargetedSyncResources(Resource.newBuilder().setId(ResourceId.newBuilder().setResourceType("role").setResource("r1")))));
        C1Records.FinishCall refused = finished(role);
        assertThat(refused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.request().getError().getNonRetryable()).isTrue();
        assertThat(refused.request().getStatus().getMessage()).contains("bid:r:role/r1 cannot be synced by itself");
    }

    @Test
    void aSyncThatFailsUploadsNothingAndSaysWhy() throws Exception {
        EMULATOR.regenerate(200, 9);
        EMULATOR.faults().add(Rule.of(Kind.STATUS).status(502).onPath("/scim/v2/Groups").times(-1));
        String id = C1.enqueue(C1TaskBuilders.syncFull());
        C1Records.FinishCall finish = finished(id);
        assertThat(finish.succeeded()).isFalse();
        assertThat(finish.request().getStatus().getMessage()).contains("failed").contains("502");
        assertThat(finish.request().getError().getNonRetryable()).isFalse();
        assertThat(C1.uploadAttempts(id)).isEmpty();
        try (Stream<Path> left = Files.exists(TEMP_DIR) ? Files.list(TEMP_DIR) : Stream.empty()) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theDropGuardRefusesASyncThatLostTooManyUsers() throws Exception {
        EMULATOR.regenerate(300, 10);
        assertThat(finished(C1.enqueue(C1TaskBuilders.syncFull())).succeeded()).isTrue(); // the baseline
        guard.maxDropPercent(20);
        EMULATOR.regenerate(100, 10);
        String id = C1.enqueue(C1TaskBuilders.syncFull());
        C1Records.FinishCall finish = finished(id);
        assertThat(finish.succeeded()).isFalse();
        assertThat(finish.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(finish.request().getError().getNonRetryable()).isTrue();
        assertThat(finish.request().getStatus().getMessage()).contains("safety guard").contains("users 300 -> 100");
        assertThat(C1.uploadAttempts(id)).isEmpty();
    }

    @Test
    void aCancelledSyncStopsAndIsNeverASuccess() throws Exception {
        EMULATOR.regenerate(300, 11);
        EMULATOR.faults().add(Rule.of(Kind.SLOW).onPath("/scim/v2/Groups/.+/Users").delayMs(1000).times(-1));
        String id = C1.enqueue(C1TaskBuilders.syncFull());
        C1.cancel(id); // the first heartbeat (1 s after the task arrives) says so; the sync takes at least 3 s
        await().atMost(TASK_TIMEOUT).until(() -> C1.heartbeats(id).stream().anyMatch(C1Records.HeartbeatCall::cancelled));
        C1Records.FinishCall finish = finished(id);
        assertThat(finish.succeeded()).isFalse();
        assertThat(finish.code()).isEqualTo(Status.Code.CANCELLED);
        assertThat(finish.request().getStatus().getMessage()).contains("ConductorOne cancelled task " + id);
        assertThat(C1.uploadAttempts(id)).isEmpty();
        assertThat(recent(id).get("state").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aGrantDuringALongSyncIsCarriedOutWithoutWaitingForIt() throws Exception {
        EMULATOR.regenerate(600, 12); // 24 groups: with each member page 1 s late, at least 6 s at 4 calls at once
        EMULATOR.faults().add(Rule.of(Kind.SLOW).onPath("/scim/v2/Groups/.+/Users").delayMs(1000).times(-1));
        String sync = C1.enqueue(C1TaskBuilders.syncFull());
        await().atMost(TASK_TIMEOUT).until(() -> running(sync));
        String[] ug = userOutsideAGroup(EMULATOR.truth());
        String grant = C1.enqueue(C1TaskBuilders.grant(entitlement("group", ug[1], "member"), user(ug[0])));
        C1Records.FinishCall granted = finished(grant);
        assertThat(granted.succeeded()).isTrue();
        assertThat(C1.finishes(sync)).as("the sync is still running").isEmpty();
        assertThat(finished(sync).succeeded()).isTrue();
    }

    // ---- grant, revoke ----

    @Test
    void groupAndRoleGrantsAndRevokesAnswerWithBatonsResponses() throws Exception {
        EMULATOR.regenerate(50, 13);
        GroundTruth truth = EMULATOR.truth();
        String[] ug = userOutsideAGroup(truth);
        Entitlement member = entitlement("group", ug[1], "member");

        C1Records.FinishCall grant = finished(C1.enqueue(C1TaskBuilders.grant(member, user(ug[0]))));
        assertThat(grant.succeeded()).isTrue();
        GrantManagerServiceGrantResponse response = grant.request().getSuccess().getResponse().unpack(GrantManagerServiceGrantResponse.class);
        assertThat(response.getGrantsList()).extracting(Grant::getId).containsExactly("group:" + ug[1] + ":member:user:" + ug[0]);
        assertThat(response.getAnnotationsList()).isEmpty();
        assertThat(EMULATOR.truth().memberships().get(ug[1])).contains(ug[0]);

        C1Records.FinishCall again = finished(C1.enqueue(C1TaskBuilders.grant(member, user(ug[0]))));
        GrantManagerServiceGrantResponse noop = again.request().getSuccess().getResponse().unpack(GrantManagerServiceGrantResponse.class);
        assertThat(noop.getAnnotationsList()).singleElement().satisfies(a -> assertThat(a.is(GrantAlreadyExists.class)).isTrue());
        assertThat(again.request().getSuccess().getAnnotationsList()).hasSize(1);

        Grant held = response.getGrants(0);
        C1Records.FinishCall revoke = finished(C1.enqueue(C1TaskBuilders.revoke(held)));
        assertThat(revoke.succeeded()).isTrue();
        assertThat(revoke.request().getSuccess().getResponse().unpack(GrantManagerServiceRevokeResponse.class).getAnnotationsList()).isEmpty();
        assertThat(EMULATOR.truth().memberships().get(ug[1])).doesNotContain(ug[0]);
        C1Records.FinishCall revokedAgain = finished(C1.enqueue(C1TaskBuilders.revoke(held)));
        assertThat(revokedAgain.request().getSuccess().getResponse().unpack(GrantManagerServiceRevokeResponse.class).getAnnotationsList())
                .singleElement().satisfies(a -> assertThat(a.is(GrantAlreadyRevoked.class)).isTrue());

        String roleId = truth.roleNames().keySet().iterator().next();
        String roleName = truth.roleNames().get(roleId);
        String holder = truth.users().values().stream().filter(u -> !u.roles().contains(roleName)).findFirst().orElseThrow().id();
        C1Records.FinishCall role = finished(C1.enqueue(C1TaskBuilders.grant(entitlement("role", roleId, "assigned"), user(holder))));
        assertThat(role.succeeded()).as(role.request().toString()).isTrue();
        assertThat(EMULATOR.truth().users().get(holder).roles()).contains(roleName);
        // by the entitlement's resource and slug, without its id, as a minimal task may carry it
        Entitlement bySlug = Entitlement.newBuilder().setSlug("assigned")
                .setResource(Resource.newBuilder().setId(ResourceId.newBuilder().setResourceType("role").setResource(roleId))).build();
        C1Records.FinishCall revokeRole = finished(C1.enqueue(C1TaskBuilders.revoke(Grant.newBuilder().setEntitlement(bySlug)
                .setPrincipal(user(holder)).build())));
        assertThat(revokeRole.succeeded()).isTrue();
        assertThat(EMULATOR.truth().users().get(holder).roles()).doesNotContain(roleName);
    }

    @Test
    void aLicenseChangeIsRefusedWithoutCallingSeismic() throws Exception {
        EMULATOR.regenerate(20, 14);
        String uid = EMULATOR.truth().users().keySet().iterator().next();
        EMULATOR.requests().clear();
        C1Records.FinishCall finish = finished(C1.enqueue(C1TaskBuilders.grant(entitlement("license", "Premium", "assigned"), user(uid))));
        assertThat(finish.succeeded()).isFalse();
        assertThat(finish.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(finish.request().getError().getNonRetryable()).isTrue();
        assertThat(finish.request().getStatus().getMessage()).contains("licenses are read-only");
        assertThat(EMULATOR.requests().entries()).extracting(RequestLog.Entry::method).doesNotContain("POST", "PATCH", "DELETE");
    }

    // ---- create_account, delete_resource ----

    @Test
    void accountsAreCreatedAndDeleted() throws Exception {
        EMULATOR.regenerate(20, 15);
        AccountInfo account = AccountInfo.newBuilder()
                .addEmails(AccountInfo.Email.newBuilder().setAddress("new.hire@acme.test").setIsPrimary(true))
                .setProfile(com.google.protobuf.Struct.newBuilder()
                        .putFields("first_name", com.google.protobuf.Value.newBuilder().setStringValue("New").build())
                        .putFields("last_name", com.google.protobuf.Value.newBuilder().setStringValue("Hire").build()))
                .build();
        C1Records.FinishCall created = finished(C1.enqueue(C1TaskBuilders.createAccount(account)));
        assertThat(created.succeeded()).as(created.request().toString()).isTrue();
        CreateAccountResponse response = created.request().getSuccess().getResponse().unpack(CreateAccountResponse.class);
        assertThat(response.hasSuccess()).isTrue();
        assertThat(response.getSuccess().getIsCreateAccountResult()).isTrue();
        Resource user = response.getSuccess().getResource();
        assertThat(user.getId().getResourceType()).isEqualTo("user");
        GroundTruth.UserView made = EMULATOR.truth().users().get(user.getId().getResource());
        assertThat(made.userName()).isEqualTo("new.hire@acme.test");
        assertThat(made.givenName()).isEqualTo("New");
        assertThat(made.familyName()).isEqualTo("Hire");

        C1Records.FinishCall exists = finished(C1.enqueue(C1TaskBuilders.createAccount(account)));
        assertThat(exists.request().getSuccess().getResponse().unpack(CreateAccountResponse.class).hasAlreadyExists()).isTrue();

        C1Records.FinishCall deleted = finished(C1.enqueue(C1TaskBuilders.deleteResource(user.getId())));
        assertThat(deleted.succeeded()).isTrue();
        assertThat(deleted.request().getSuccess().getResponse().getTypeUrl())
                .isEqualTo("type.googleapis.com/c1.connector.v2.DeleteResourceResponse");
        assertThat(EMULATOR.truth().users()).doesNotContainKey(user.getId().getResource());

        C1Records.FinishCall group = finished(C1.enqueue(C1TaskBuilders.deleteResource(
                ResourceId.newBuilder().setResourceType("group").setResource("g1").build())));
        assertThat(group.succeeded()).isFalse();
        assertThat(group.request().getError().getNonRetryable()).isTrue();
        assertThat(group.request().getStatus().getMessage()).contains("only user resources can be deleted");
    }

    // ---- the loop ----

    @Test
    void unsupportedTaskTypesAreRefusedAndTheLoopGoesOn() throws Exception {
        EMULATOR.regenerate(20, 16);
        String rotate = C1.enqueue(C1TaskBuilders.rotateCredentials());
        String future = C1.enqueue(C1TaskBuilders.unknownType(123));
        C1Records.FinishCall r = finished(rotate);
        assertThat(r.succeeded()).isFalse();
        assertThat(r.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(r.request().getError().getNonRetryable()).isTrue();
        assertThat(r.request().getStatus().getMessage()).contains("rotate_credentials");
        assertThat(finished(future).request().getStatus().getMessage()).contains("field 123");
        String uid = EMULATOR.truth().users().keySet().iterator().next();
        assertThat(finished(C1.enqueue(C1TaskBuilders.deleteResource(ResourceId.newBuilder().setResourceType("user").setResource(uid).build())))
                .succeeded()).isTrue();
    }

    @Test
    void getTaskFailuresBackOffAndPollingNeverExceedsOncePerSecond() throws Exception {
        C1.failGetTasks(3, Status.Code.UNAVAILABLE);
        EMULATOR.regenerate(20, 17);
        String[] ug = userOutsideAGroup(EMULATOR.truth());
        String id = C1.enqueue(C1TaskBuilders.grant(entitlement("group", ug[1], "member"), user(ug[0])));
        assertThat(finished(id).succeeded()).isTrue();
        List<C1Records.GetTaskCall> calls = C1.getTaskCalls();
        assertThat(calls.subList(0, 3)).allSatisfy(c -> assertThat(c.fault()).isEqualTo(Status.Code.UNAVAILABLE));
        // the backoff after the 2nd and 3rd failures is at least 0.8 x 2 s (c1.max-backoff, jittered)
        assertThat(Duration.between(calls.get(1).at(), calls.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        int seen = C1.getTaskCalls().size();
        await().atMost(Duration.ofSeconds(15)).until(() -> C1.getTaskCalls().size() >= seen + 4);
        List<C1Records.GetTaskCall> idle = C1.getTaskCalls();
        for (int i = 1; i < idle.size(); i++) {
            assertThat(Duration.between(idle.get(i - 1).at(), idle.get(i).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        assertThat(idle).allSatisfy(c -> assertThat(c.hostId()).isEqualTo(HOST_ID));
        assertThat(c1Status().get("state").asText()).isEqualTo("CONNECTED");
    }

    @Test
    void aRevokedTokenIsReplacedAndTheCallGoesThrough() throws Exception {
        EMULATOR.regenerate(20, 18);
        int tokensBefore = C1.tokenRequests().size();
        C1.revokeTokens();
        String[] ug = userOutsideAGroup(EMULATOR.truth());
        assertThat(finished(C1.enqueue(C1TaskBuilders.grant(entitlement("group", ug[1], "member"), user(ug[0])))).succeeded()).isTrue();
        assertThat(C1.tokenRequests().size()).isGreaterThan(tokensBefore);
        assertThat(C1.calls()).anySatisfy(c -> assertThat(c.code()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(C1.tokenRequests()).allSatisfy(t -> assertThat(t.status()).isEqualTo(200));
    }

    @Test
    void rejectedCredentialsMakeReadinessSayWhyUntilTheyAreAcceptedAgain() throws Exception {
        C1.rejectCredentials(true);
        C1.revokeTokens();
        await().atMost(TASK_TIMEOUT).until(() -> c1Status().get("state").asText().equals("CREDENTIALS_REJECTED"));
        JsonNode readiness = JSON.readTree(rest.getForObject("/actuator/health/readiness", String.class));
        assertThat(readiness.at("/components/c1/status").asText()).isEqualTo("DOWN");
        assertThat(readiness.at("/components/c1/details/reason").asText()).contains("rejected the client credentials").contains("401");
        assertThat(readiness.toString()).doesNotContain(C1.clientSecret().substring(C1.clientSecret().lastIndexOf(':') + 1));
        C1.rejectCredentials(false);
        awaitConnected();
        assertThat(JSON.readTree(rest.getForObject("/actuator/health/readiness", String.class)).at("/components/c1/status").asText())
                .isEqualTo("UP");
    }

    @Test
    void aBrokenUploadIsSentAgainWithoutASecondSync() throws Exception {
        EMULATOR.regenerate(200, 19);
        long minimal = EMULATOR.truth().minimalScimCalls();
        EMULATOR.requests().clear();
        C1.breakNextUploads(1, 0);
        String id = C1.enqueue(C1TaskBuilders.syncFull());
        assertThat(finished(id).succeeded()).isTrue();
        assertThat(C1.uploadAttempts(id)).hasSize(2);
        assertThat(C1.uploadAttempts(id).get(0).completed()).isFalse();
        assertThat(C1.uploads(id)).hasSize(1);
        assertThat(EMULATOR.requests().countPathPrefix("/scim/v2/")).isEqualTo(minimal);
    }

    @Test
    void aFinishThatFailsIsRetriedAndARepeatedTaskDoesNotWriteTwice() throws Exception {
        EMULATOR.regenerate(20, 20);
        String[] ug = userOutsideAGroup(EMULATOR.truth());
        EMULATOR.requests().clear();
        C1.failFinishes(2, Status.Code.UNAVAILABLE);
        Task.Builder task = C1TaskBuilders.grant(entitlement("group", ug[1], "member"), user(ug[0]));
        String id = C1.enqueue(task);
        assertThat(finished(id).succeeded()).isTrue();
        assertThat(C1.finishes(id)).extracting(C1Records.FinishCall::fault).containsExactly(Status.Code.UNAVAILABLE,
                Status.Code.UNAVAILABLE, null);
        long writes = EMULATOR.requests().entries().stream().filter(e -> e.method().equals("POST")).count();
        assertThat(writes).isEqualTo(1);

        // C1 hands the same task out again (its FinishTask got lost on the way back): answered from the results cache
        C1.reset();
        C1.enqueue(task.setId(id));
        C1Records.FinishCall repeat = finished(id);
        assertThat(repeat.succeeded()).isTrue();
        assertThat(repeat.request().getSuccess().getResponse().unpack(GrantManagerServiceGrantResponse.class).getGrantsList())
                .extracting(Grant::getId).containsExactly("group:" + ug[1] + ":member:user:" + ug[0]);
        assertThat(EMULATOR.requests().entries().stream().filter(e -> e.method().equals("POST")).count()).isEqualTo(1);
    }

    @Test
    void neitherTheSecretNorATokenIsEverShown(CapturedOutput output) throws Exception {
        EMULATOR.regenerate(20, 21);
        C1.revokeTokens(); // a token request, and a call refused with the old token, during the test
        String[] ug = userOutsideAGroup(EMULATOR.truth());
        assertThat(finished(C1.enqueue(C1TaskBuilders.grant(entitlement("group", ug[1], "member"), user(ug[0])))).succeeded()).isTrue();
        assertThat(finished(C1.enqueue(C1TaskBuilders.syncFull())).succeeded()).isTrue();
        String key = C1.clientSecret().substring(C1.clientSecret().lastIndexOf(':') + 1);
        String shown = output.getAll() + c1Status() + rest.getForObject("/actuator/health/readiness", String.class)
                + rest.getForObject("/api/v1/syncs", String.class);
        assertThat(shown).contains("C1 task").doesNotContain(key).doesNotContain("c1emu_"); // the emulator's tokens start so
        assertThat(C1.tokenRequests()).isNotEmpty();
    }

    @Test
    void aFinishThatIsRefusedIsNotTriedAgain() throws Exception {
        EMULATOR.regenerate(20, 22);
        C1.failFinishes(1, Status.Code.FAILED_PRECONDITION); // e.g. the task is no longer this connector's
        String id = C1.enqueue(C1TaskBuilders.deleteResource(ResourceId.newBuilder().setResourceType("user")
                .setResource(EMULATOR.truth().users().keySet().iterator().next()).build()));
        JsonNode task = await().atMost(TASK_TIMEOUT).until(() -> recentOrNull(id), t -> t != null);
        assertThat(task.get("state").asText()).isEqualTo("FINISH_FAILED");
        assertThat(task.get("finishError").asText()).contains("FAILED_PRECONDITION");
        assertThat(C1.finishes(id)).hasSize(1);
    }

    @Test
    void aSyncThatCannotStartFailsAndTheNextOneRuns() throws Exception {
        EMULATOR.regenerate(50, 23);
        camel.getRouteController().stopRoute("sync-run");
        try {
            C1Records.FinishCall refused = finished(C1.enqueue(C1TaskBuilders.syncFull()));
            assertThat(refused.succeeded()).isFalse();
            assertThat(refused.request().getStatus().getMessage()).contains("failed").doesNotContain("null");
        } finally {
            camel.getRouteController().startRoute("sync-run");
        }
        assertThat(finished(C1.enqueue(C1TaskBuilders.syncFull())).succeeded()).as("no sync is left RUNNING").isTrue();
    }

    // ---- helpers ----

    private JsonNode recentOrNull(String taskId) throws Exception {
        for (JsonNode t : c1Status().get("recent")) {
            if (t.get("id").asText().equals(taskId)) {
                return t;
            }
        }
        return null;
    }

    private JsonNode recent(String taskId) throws Exception {
        return await().atMost(TASK_TIMEOUT).until(() -> {
            for (JsonNode t : c1Status().get("recent")) {
                if (t.get("id").asText().equals(taskId)) {
                    return t;
                }
            }
            return null;
        }, t -> t != null);
    }

    private boolean running(String taskId) throws Exception {
        for (JsonNode t : c1Status().get("running")) {
            if (t.get("id").asText().equals(taskId) && t.get("state").asText().equals("RUNNING")) {
                return true;
            }
        }
        return false;
    }

    static Entitlement entitlement(String type, String id, String slug) {
        return Entitlement.newBuilder().setId(type + ":" + id + ":" + slug).setSlug(slug)
                .setResource(Resource.newBuilder().setId(ResourceId.newBuilder().setResourceType(type).setResource(id))).build();
    }

    static Resource user(String id) {
        return Resource.newBuilder().setId(ResourceId.newBuilder().setResourceType("user").setResource(id)).build();
    }

    /** A user and a group it is not a member of. */
    static String[] userOutsideAGroup(GroundTruth truth) {
        for (Map.Entry<String, List<String>> g : truth.memberships().entrySet()) {
            for (String u : truth.users().keySet()) {
                if (!g.getValue().contains(u)) {
                    return new String[] {u, g.getKey()};
                }
            }
        }
        throw new AssertionError("every user is in every group");
    }

    private static Set<String> ids(C1zReader c1z, String sql) throws Exception {
        return c1z.rows(sql).stream().map(r -> String.valueOf(r.values().iterator().next())).collect(Collectors.toSet());
    }

    /** entitlement resource id → principal ids of the grants on {@code <type>:<id>:<slug>}. */
    private static Map<String, Set<String>> pairs(C1zReader c1z, String type, String slug) throws Exception {
        Map<String, Set<String>> out = new HashMap<>();
        for (Grant g : c1z.messages("v1_grants", Grant.parser())) {
            String ent = g.getEntitlement().getId();
            if (ent.startsWith(type + ":") && ent.endsWith(":" + slug)) {
                out.computeIfAbsent(g.getEntitlement().getResource().getId().getResource(), k -> new HashSet<>())
                        .add(g.getPrincipal().getId().getResource());
            }
        }
        return out;
    }

    private static Map<String, Set<String>> nonEmpty(Map<String, List<String>> m) {
        Map<String, Set<String>> out = new HashMap<>();
        m.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, new HashSet<>(v));
            }
        });
        return out;
    }
}
