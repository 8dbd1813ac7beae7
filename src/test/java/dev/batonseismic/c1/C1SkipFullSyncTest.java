package dev.batonseismic.c1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.c1.api.Task;
import dev.batonseismic.c1emulator.C1Records;
import dev.batonseismic.c1emulator.C1TaskBuilders;
import dev.batonseismic.emulator.RequestLog;
import dev.batonseismic.sink.C1zReader;
import dev.batonseismic.seismic.SeismicToken;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * BATON_SKIP_FULL_SYNC in service mode (provisioning only): a sync task is answered as baton-sdk's {@code SkipSync}
 * does, with an empty, finished full sync after one call that proves Seismic's credentials; provisioning goes on.
 */
@TestPropertySource(properties = {"BATON_SKIP_FULL_SYNC=true", "connector.data-dir=target/test-data-c1-skip"})
class C1SkipFullSyncTest extends C1TestSupport {
    @Autowired
    SeismicToken token;

    @Test
    void aSyncTaskUploadsAnEmptyFinishedSyncAfterOneCallAndGrantsStillWork() throws Exception {
        awaitConnected();
        EMULATOR.regenerate(40, 31);
        String[] ug = C1ServiceModeTest.userOutsideAGroup(EMULATOR.truth());
        EMULATOR.requests().clear();

        String id = C1.enqueue(C1TaskBuilders.syncFull(Task.SyncFullTask.newBuilder().addSyncResourceTypeIds("group")));
        C1Records.FinishCall finish = finished(id);
        assertThat(finish.succeeded()).as(finish.request().toString()).isTrue();
        try (C1zReader c1z = new C1zReader(C1.uploads(id).get(0))) {
            assertThat(c1z.count("select count(*) from v1_sync_runs where sync_type = 'full' and ended_at is not null")).isEqualTo(1);
            assertThat(c1z.count("select count(*) from v1_sync_runs")).isEqualTo(1);
            for (String table : new String[] {"v1_resource_types", "v1_resources", "v1_entitlements", "v1_grants"}) {
                assertThat(c1z.count("select count(*) from " + table)).as(table).isZero();
            }
        }
        assertThat(EMULATOR.requests().entries()).extracting(RequestLog.Entry::path).filteredOn(p -> p.startsWith("/scim/"))
                .as("one call proves the credentials; nothing is read").containsExactly("/scim/v2/Users");
        JsonNode sync = JSON.readTree(rest.getForObject("/api/v1/syncs", String.class)).get(0);
        assertThat(sync.get("scope").asText()).startsWith("skipped (BATON_SKIP_FULL_SYNC");

        String grant = C1.enqueue(C1TaskBuilders.grant(C1ServiceModeTest.entitlement("group", ug[1], "member"), C1ServiceModeTest.user(ug[0])));
        assertThat(finished(grant).succeeded()).isTrue();
        assertThat(EMULATOR.truth().memberships().get(ug[1])).contains(ug[0]);
    }

    @Test
    void aSyncTaskFailsWhenSeismicRefusesTheCredentials() throws Exception {
        awaitConnected();
        token.invalidate("Bearer " + token.current().value()); // the next call asks for a token, and is refused
        EMULATOR.settings().clientActive = false;
        try {
            String id = C1.enqueue(C1TaskBuilders.syncFull());
            C1Records.FinishCall finish = finished(id);
            assertThat(finish.succeeded()).isFalse();
            assertThat(finish.request().getStatus().getMessage()).contains("invalid_client")
                    .doesNotContain(EMULATOR.settings().clientSecret);
            assertThat(C1.uploads(id)).isEmpty();
        } finally {
            EMULATOR.settings().clientActive = true;
        }
    }
}
