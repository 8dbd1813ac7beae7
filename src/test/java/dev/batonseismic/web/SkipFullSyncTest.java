package dev.batonseismic.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.ConnectorTestSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * BATON_SKIP_FULL_SYNC outside service mode: provisioning only; no schedule runs and a sync request is refused with the
 * reason. Its settings are BatonHealthCheckTest's (a deployment moved over from baton with both), so the two share
 * one Spring context.
 */
@TestPropertySource(properties = {"baton.health-check.enabled=true", "baton.health-check.port=0", "BATON_SKIP_FULL_SYNC=true"})
class SkipFullSyncTest extends ConnectorTestSupport {
    @Autowired
    CamelContext camel;

    @Test
    void noScheduleRunsAndASyncRequestIsRefusedSayingWhy() throws Exception {
        assertThat(camel.getRouteController().getRouteStatus("trigger-schedule-cron")).isEqualTo(ServiceStatus.Stopped);
        String before = rest.getForObject("/api/v1/syncs", String.class);

        ResponseEntity<String> r = rest.postForEntity("/api/v1/syncs", null, String.class);
        assertThat(r.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(new ObjectMapper().readTree(r.getBody()).get("error").asText())
                .isEqualTo("syncs are off: BATON_SKIP_FULL_SYNC is set, so this connector only provisions; unset it to sync");
        assertThat(rest.getForObject("/api/v1/syncs", String.class)).as("nothing started").isEqualTo(before);
    }
}
