package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.ServiceStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The scheduled triggers: Quartz on sync.cron, and the one-shot sync at start-up when sync.on-startup is true. */
class SyncTriggersTest extends SyncTestSupport {
    @Autowired
    CamelContext camel;

    @Autowired
    SyncRegistry syncs;

    @Test
    void cronRouteUsesTheConfiguredSchedule() {
        assertThat(camel.getRoute("trigger-schedule-cron").getEndpoint().getEndpointUri())
                .startsWith("quartz://sync/scheduled").contains("cron=0+0+0+1+1+?+2099");
        assertThat(camel.getRoute("trigger-schedule-cron").getRoutePolicyList())
                .filteredOn(ClusteredRoutePolicy.class::isInstance).singleElement()
                .isInstanceOfSatisfying(ClusteredRoutePolicy.class, p -> assertThat(p.isLeader()).isTrue());
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> camel.getRouteController().getRouteStatus("trigger-schedule-cron") == ServiceStatus.Started);
    }

    @Test
    void startupTriggerIsOffByDefaultAndStartsOneSyncWhenOn() throws Exception {
        assertThat(camel.getRouteController().getRouteStatus("trigger-schedule-startup")).isEqualTo(ServiceStatus.Stopped);
        EMULATOR.regenerate(50, 9);
        Object newestBefore = newest();
        camel.getRouteController().startRoute("trigger-schedule-startup");
        try {
            // by id, not by count: the history holds at most sync.history (20) syncs, and earlier tests may have filled it
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> newest() != null && !newest().equals(newestBefore));
            JsonNode status = awaitEnd((String) syncs.list().get(0).get("id"));
            assertThat(status.get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(status.get("counts").get("user").asInt()).isEqualTo(50);
            assertThat(status.get("origin").asText()).isEqualTo("trigger-schedule-startup");
            assertThat(status.get("scope").asText()).isEqualTo("full");
            assertThat(awaitEnd(startSync()).get("origin").asText()).isEqualTo("rest-syncs-start");
        } finally {
            camel.getRouteController().stopRoute("trigger-schedule-startup");
        }
    }

    private Object newest() {
        return syncs.list().isEmpty() ? null : syncs.list().get(0).get("id");
    }
}
