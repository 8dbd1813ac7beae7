package dev.batonseismic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The guard for edits by integration teams: the YAML routes in routes/ load, with the ids the product relies on. */
class RoutesLoadTest extends ConnectorTestSupport {
    static final List<String> EXPECTED = List.of(
            "seismic-api-call",
            "sync-request", "sync-run", "sync-roles-fetch",
            "sync-users-fetch", "sync-groups-fetch", "sync-group-members-fetch",
            "sync-users-page", "sync-groups-page", "sync-group-members-page",
            "trigger-schedule-cron", "trigger-schedule-startup",
            "rest-syncs-start", "rest-syncs-list", "rest-syncs-get", "syncs-start", "syncs-list", "syncs-get",
            "roles-catalog-fetch", "roles-catalog-page", "roles-catalog-unavailable",
            "provisioning", "provisioning-queued", "provisioning-dead-letter", "provisioning-group-membership",
            "provisioning-user-groups-fetch", "provisioning-user-groups-page", "provisioning-role-change",
            "provisioning-license-refuse", "provisioning-account-create", "provisioning-user-delete",
            "rest-provisioning-request", "provisioning-rest", "rest-openapi",
            "rest-dead-letters-count", "rest-dead-letters-replay", "dead-letters-count", "dead-letters-replay", "trigger-kafka-provisioning", "trigger-jms-provisioning",
            "rest-seismic-delegation-callback", "seismic-delegation-callback",
            "c1-connect", "c1-poll", "c1-hello", "c1-get-task", "c1-sync-queue", "c1-task-queue", "c1-task", "c1-task-sync-full",
            "c1-task-provisioning", "c1-task-hello", "c1-task-unsupported", "c1-finish", "c1-heartbeat", "c1-heartbeat-send",
            "rest-c1-status", "c1-status");

    @Autowired
    CamelContext camel;

    @Test
    void expectedRoutesAreLoadedFromTheRoutesDirectory() {
        List<String> ids = camel.getRoutes().stream().map(Route::getRouteId).toList();
        assertThat(ids).containsAll(EXPECTED);
        assertThat(ids).noneMatch(id -> id.matches("route\\d+"));
        // REST verbs (and the OpenAPI route) carry their description on the REST definition, other routes on the route
        assertThat(camel.getRoutes()).filteredOn(r -> !r.getEndpoint().getEndpointUri().matches("rest(-api)?:.*"))
                .allSatisfy(r -> assertThat(r.getDescription()).as(r.getRouteId()).isNotBlank());
        assertThat(camel.getRoute("sync-run").getSourceResource().getLocation()).contains("routes").endsWith("sync-run.yaml");
    }
}
