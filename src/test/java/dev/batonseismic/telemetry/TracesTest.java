package dev.batonseismic.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.ConnectorTestSupport;
import dev.batonseismic.emulator.GroundTruth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The app with BATON_OTEL_COLLECTOR_ENDPOINT set (plaintext, BATON_OTEL_COLLECTOR_ENDPOINT_TLS_INSECURE) against a
 * collector in this JVM: a sync and a grant arrive as traces, a span per route step named after the step's id, with
 * Seismic's HTTP calls, under baton's service name, and the log lines beside them; no secret or token in any of it.
 * Its own context (the endpoint), closed after the class.
 */
@TestPropertySource(properties = {
        "baton.otel.collector-endpoint=${test.otel.collector}", // known only once the collector runs
        "baton.otel.collector-endpoint-tls-insecure=true",
        "connector.data-dir=target/test-data-otel"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class TracesTest extends ConnectorTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final OtlpCollector COLLECTOR = OtlpCollector.plaintext(); // up until the JVM ends, as the emulators: the context sends at its close

    @Autowired
    OtlpTelemetry telemetry;

    @DynamicPropertySource
    static void collector(DynamicPropertyRegistry r) {
        r.add("test.otel.collector", COLLECTOR::endpoint);
    }

    @Test
    void aSyncAndAGrantAreTracedStepByStepWithoutSecrets() throws Exception {
        EMULATOR.reset();
        JsonNode started = JSON.readTree(rest.postForEntity("/api/v1/syncs", null, String.class).getBody());
        String syncId = started.get("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(rest.getForObject("/api/v1/syncs/" + syncId, String.class))
                .get("state").asText(), state -> !state.equals("RUNNING"));

        GroundTruth truth = EMULATOR.truth();
        Map.Entry<String, List<String>> group = truth.memberships().entrySet().stream()
                .filter(g -> g.getValue().size() < truth.users().size()).findFirst().orElseThrow();
        String user = truth.users().keySet().stream().filter(u -> !group.getValue().contains(u)).findFirst().orElseThrow();
        String grant = JSON.createObjectNode().put("requestId", UUID.randomUUID().toString()).put("operation", "grant")
                .put("entitlementId", "group:" + group.getKey() + ":member").put("principalId", "user:" + user).toString();
        HttpHeaders json = new HttpHeaders();
        json.setContentType(MediaType.APPLICATION_JSON);
        JsonNode granted = JSON.readTree(rest.postForEntity("/api/v1/provisioning", new HttpEntity<>(grant, json), String.class).getBody());
        assertThat(granted.get("status").asText()).isEqualTo("SUCCEEDED");
        telemetry.flush().join(20, TimeUnit.SECONDS);

        List<OtlpCollector.ReceivedSpan> spans = COLLECTOR.spans();
        Set<String> names = spans.stream().map(s -> s.span().getName()).collect(Collectors.toSet());
        assertThat(names).as("the sync's steps").contains("open-sync-record-bean", "read-catalogs-recipientList",
                "fetch-users-and-groups-recipientList", "check-drop-guard-bean", "complete-sync-bean");
        assertThat(names).as("Seismic's calls, step by step").contains("add-bearer-token-process", "send-to-seismic-to");
        assertThat(names).as("provisioning's steps").contains("read-request-bean", "parse-baton-ids-bean", "carry-out-operation-toD",
                "record-and-count-result-bean");
        assertThat(spans).as("Seismic's HTTP calls").anySatisfy(s -> assertThat(s.attributes())
                .containsEntry("component", "camel-http").containsEntry("http.method", "GET"));
        String grantTrace = spans.stream().filter(s -> s.span().getName().equals("carry-out-operation-toD")).findFirst().orElseThrow().traceId();
        assertThat(spans).as("the grant's POST, in the grant's trace").anySatisfy(s -> {
            assertThat(s.attributes()).containsEntry("component", "camel-http").containsEntry("http.method", "POST");
            assertThat(s.traceId()).isEqualTo(grantTrace);
        });
        assertThat(spans).allSatisfy(s -> assertThat(s.resource()).containsEntry("service.name", "baton-seismic-server"));
        assertThat(COLLECTOR.logs()).as("the log lines too").isNotEmpty();

        List<String> secrets = new java.util.ArrayList<>(EMULATOR.issuedTokens());
        secrets.add(EMULATOR.settings().clientSecret);
        secrets.add(ADMIN_PASSWORD);
        assertThat(secrets).hasSizeGreaterThan(2);
        for (String secret : secrets) {
            assertThat(spans).noneSatisfy(s -> assertThat(s.span().toString()).contains(secret));
            assertThat(COLLECTOR.logs()).noneSatisfy(l -> assertThat(l.log().toString()).contains(secret));
        }
        assertThat(spans).as("no Authorization header's value").noneSatisfy(s -> assertThat(s.span().toString()).contains("Bearer "));
    }
}
