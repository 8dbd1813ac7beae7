package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.emulator.GroundTruth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The client-side pacer against a tight limit: Seismic allows 40 calls per 2 s here, the connector is told the same,
 * and a sync that needs about 70 calls finishes without a single 429. (Its own context: the pacer is configured at start.)
 */
@TestPropertySource(properties = {"seismic.rate-limit.calls=40", "seismic.rate-limit.window=2s", "seismic.rate-limit.margin=300ms",
        "sync.concurrency=2", "provisioning.kafka.enabled=false"})
class PacedSyncTest extends SyncTestSupport {

    @AfterEach
    void limitOff() {
        EMULATOR.settings().rateLimit(0, 60);
    }

    @Test
    void aSyncWithinTheBudgetEarnsNo429() throws Exception {
        EMULATOR.regenerate(1500, 5);
        EMULATOR.requests().clear();
        EMULATOR.settings().rateLimit(40, 2);
        GroundTruth truth = EMULATOR.truth();
        JsonNode status = syncToEnd();
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.requests().entries()).noneMatch(e -> e.status() == 429);
        assertThat(status.get("rateLimited").asInt()).isZero();
        assertThat(status.get("apiCalls").asLong()).isEqualTo(truth.minimalScimCalls() + 1).isGreaterThan(40);
    }

    @Test
    void provisioningDuringASyncGoesAheadOfItsPageRequests() throws Exception {
        EMULATOR.regenerate(1500, 6);
        EMULATOR.settings().rateLimit(40, 2);
        String[] ug = dev.batonseismic.provisioning.ProvisioningProbe.userOutsideSomeGroup(EMULATOR);
        String id = startSync();
        org.awaitility.Awaitility.await().until(() -> EMULATOR.requests().count("GET /scim/v2/Groups/{id}/Users") > 0);
        var headers = new org.springframework.http.HttpHeaders();
        headers.setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
        String grant = "{\"requestId\":\"" + java.util.UUID.randomUUID() + "\",\"operation\":\"grant\",\"entitlementId\":\"group:"
                + ug[1] + ":member\",\"principalId\":\"user:" + ug[0] + "\"}";
        var answer = rest.postForEntity("/api/v1/provisioning", new org.springframework.http.HttpEntity<>(grant, headers), String.class);
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(200);
        assertThat(status(id).get("state").asText()).as("the grant was answered while the sync still ran").isEqualTo("RUNNING");
        assertThat(EMULATOR.truth().memberships().get(ug[1])).contains(ug[0]);
        assertThat(awaitEnd(id).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.requests().entries()).noneMatch(e -> e.status() == 429);
    }
}
