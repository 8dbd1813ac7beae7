package dev.batonseismic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar … config} and {@code capabilities}: JSON on standard output, exit 0, with no settings, nothing
 * started, nothing contacted.
 */
class ConfigSchemaTest {
    @TempDir
    Path dir;

    @Test
    void configPrintsEveryFieldWithItsVariableTypeAndDefaultAndExitsWithoutStarting() throws Exception {
        Path out = dir.resolve("config.json");
        ProcessBuilder pb = ChildJvm.main(Application.class, Map.of(), out);
        pb.command().add("config");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("it exits on its own").isTrue();
        assertThat(p.exitValue()).as(Files.readString(out)).isZero();
        JsonNode schema = new ObjectMapper().readTree(out.toFile());

        Map<String, JsonNode> fields = new java.util.HashMap<>();
        schema.path("fields").forEach(f -> fields.put(f.path("name").asText(), f));
        assertThat(fields.get("BATON_SEISMIC_TENANT").path("property").asText()).isEqualTo("seismic.tenant");
        assertThat(fields.get("SYNC_PAGE_SIZE").path("default").asText()).isEqualTo("100");
        assertThat(fields.get("SYNC_PAGE_SIZE").path("type").asText()).isEqualTo("Integer");
        assertThat(fields.get("BATON_HEALTH_CHECK_PORT").path("default").asText()).isEqualTo("8081");
        assertThat(fields.get("BATON_SEISMIC_CLIENT_SECRET").path("secret").asBoolean()).isTrue();
        assertThat(fields.get("BATON_CLIENT_SECRET").path("secret").asBoolean()).isTrue();
        assertThat(fields).containsKeys("BATON_CLIENT_ID", "BATON_PROVISIONING", "BATON_SYNC_RESOURCE_TYPES", "SINK_TYPE");
        assertThat(fields.get("BATON_OTEL_COLLECTOR_ENDPOINT").path("property").asText()).isEqualTo("baton.otel.collector-endpoint");
        assertThat(fields.get("BATON_OTEL_COLLECTOR_ENDPOINT_TLS_INSECURE").path("default").asText()).isEqualTo("false");
        assertThat(fields.get("BATON_OTEL_COLLECTOR_ENDPOINT_TLS_INSECURE").path("type").asText()).isEqualTo("Boolean");
        assertThat(fields).containsKeys("BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT_PATH", "BATON_OTEL_COLLECTOR_ENDPOINT_TLS_CERT",
                "BATON_OTEL_TRACING_DISABLED", "BATON_OTEL_LOGGING_DISABLED");
        assertThat(StreamSupport.stream(schema.path("refused").spliterator(), false).map(r -> r.path("name").asText()))
                .contains("BATON_TICKETING", "BATON_EVENT_FEED");
        assertThat(Files.readString(out)).as("nothing started: no Spring banner, no log lines").doesNotContain("Started Application", "INFO");
    }

    private JsonNode run(String subcommand, Map<String, String> env) throws Exception {
        Path out = dir.resolve(subcommand + ".json");
        ProcessBuilder pb = ChildJvm.main(Application.class, env, out);
        pb.command().add(subcommand);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("it exits on its own").isTrue();
        assertThat(p.exitValue()).as(Files.readString(out)).isZero();
        return new ObjectMapper().readTree(out.toFile());
    }

    @Test
    void capabilitiesPrintEachResourceTypeWithWhatItSupportsGivenTheSettings() throws Exception {
        JsonNode off = run("capabilities", Map.of());
        JsonNode on = run("capabilities", Map.of("BATON_PROVISIONING", "true"));

        assertThat(types(off)).containsEntry("user", List.of("CAPABILITY_SYNC", "CAPABILITY_TARGETED_SYNC"))
                .containsEntry("license", List.of("CAPABILITY_SYNC")).containsEntry("role", List.of("CAPABILITY_SYNC"))
                .containsKeys("group");
        assertThat(types(on)).containsEntry("license", List.of("CAPABILITY_SYNC"))
                .containsEntry("group", List.of("CAPABILITY_PROVISION", "CAPABILITY_SYNC", "CAPABILITY_TARGETED_SYNC"));
        assertThat(off.path("connectorCapabilities").toString()).as("users and groups can be targeted, in service mode too")
                .contains("CAPABILITY_TARGETED_SYNC", "CAPABILITY_SERVICE_MODE_TARGETED_SYNC");
        assertThat(types(on).get("user")).contains("CAPABILITY_ACCOUNT_PROVISIONING", "CAPABILITY_RESOURCE_DELETE");
        assertThat(on.has("credentialDetails")).as("account creation without a password").isTrue();
        assertThat(off.has("credentialDetails")).isFalse();
    }

    /** Each resource type id and its capabilities, sorted. */
    private static Map<String, List<String>> types(JsonNode caps) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        caps.path("resourceTypeCapabilities").forEach(t -> out.put(t.at("/resourceType/id").asText(),
                StreamSupport.stream(t.path("capabilities").spliterator(), false).map(JsonNode::asText).sorted().toList()));
        return out;
    }
}
