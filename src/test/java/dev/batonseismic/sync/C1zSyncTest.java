package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import dev.batonseismic.baton.v2.Entitlement;
import dev.batonseismic.baton.v2.Grant;
import dev.batonseismic.baton.v2.Resource;
import dev.batonseismic.baton.v2.ResourceType;
import dev.batonseismic.emulator.FaultInjector.Kind;
import dev.batonseismic.emulator.FaultInjector.Rule;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.sink.C1zReader;
import dev.batonseismic.sink.C1zSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code sink.type=c1z} in the shared context: the sink is chosen when a sync opens, so each test switches it with a
 * property source of its own and removes it afterwards. The .c1z is read back by {@link C1zReader}, independently of
 * the writer.
 */
class C1zSyncTest extends SyncTestSupport {
    private static final String SWITCH = "c1z-sync-test";

    @Autowired
    ConfigurableEnvironment env;

    @Autowired
    C1zSink c1zSink;

    @BeforeEach
    void tenant() {
        EMULATOR.regenerate(300, 21);
        EMULATOR.faults().clear();
    }

    @AfterEach
    void backToTheFileSink() {
        env.getPropertySources().remove(SWITCH);
        EMULATOR.faults().clear();
    }

    private void sinkType(String type) {
        env.getPropertySources().remove(SWITCH);
        env.getPropertySources().addFirst(new MapPropertySource(SWITCH, Map.of("sink.type", type)));
    }

    @Test
    void theC1zHoldsExactlyWhatTheJsonSinkWrites() throws Exception {
        GroundTruth truth = EMULATOR.truth();
        JsonNode fileSync = syncToEnd();
        assertThat(fileSync.get("state").asText()).as(fileSync.toString()).isEqualTo("SUCCEEDED");
        JsonNode doc = JSON.readTree(Path.of(fileSync.get("outputLocation").asText()).toFile());

        sinkType("c1z");
        JsonNode c1zSync = syncToEnd();
        assertThat(c1zSync.get("state").asText()).as(c1zSync.toString()).isEqualTo("SUCCEEDED");
        Path c1z = Path.of(c1zSync.get("outputLocation").asText());
        assertThat(c1z).isEqualTo(c1zSink.file()).isEqualTo(SINK_DIR.resolve("sync.c1z"));
        assertThat(c1zSync.get("counts")).isEqualTo(fileSync.get("counts"));

        try (C1zReader reader = new C1zReader(c1z)) {
            assertThat(reader.header).containsExactly('C', '1', 'Z', 'F', 0);
            assertThat(reader.tables().keySet()).containsExactlyInAnyOrder("v1_resource_types", "v1_resources", "v1_entitlements",
                    "v1_sync_runs", "v1_grants", "v1_assets", "v1_connector_sessions");

            // the sync run: this sync's KSUID, full, finished
            List<Map<String, Object>> runs = reader.rows("select * from v1_sync_runs");
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).get("sync_id")).isEqualTo(c1zSync.get("id").asText());
            assertThat((String) runs.get(0).get("sync_id")).matches("[0-9A-Za-z]{27}");
            assertThat(runs.get(0).get("sync_type")).isEqualTo("full");
            assertThat((String) runs.get(0).get("ended_at")).isNotNull().isGreaterThanOrEqualTo((String) runs.get(0).get("started_at"));

            // resource types in order, and every record equal to the JSON sink's, by id
            assertThat(decoded(reader.messages("v1_resource_types", ResourceType.parser())))
                    .isEqualTo(normalizedAll(doc.get("resourceTypes")));
            Map<String, JsonNode> resources = byId(reader.messages("v1_resources", Resource.parser()),
                    r -> r.getId().getResourceType() + ":" + r.getId().getResource());
            Map<String, JsonNode> expectedResources = byId(doc.get("resources"), r -> r.at("/id/resourceType").asText() + ":" + r.at("/id/resource").asText());
            assertThat(resources.keySet()).isEqualTo(expectedResources.keySet());
            assertThat(resources).isEqualTo(expectedResources);
            Map<String, JsonNode> entitlements = byId(reader.messages("v1_entitlements", Entitlement.parser()), Entitlement::getId);
            assertThat(entitlements).isEqualTo(byId(doc.get("entitlements"), e -> e.get("id").asText()));
            Map<String, JsonNode> grants = byId(reader.messages("v1_grants", Grant.parser()), Grant::getId);
            assertThat(grants).isEqualTo(byId(doc.get("grants"), g -> g.get("id").asText()));

            // ids exactly as baton-sdk forms them (pkg/types/entitlement, grant), and the ground truth's sizes
            long users = truth.counts().get("users");
            assertThat(resources.keySet()).filteredOn(k -> k.startsWith("user:")).hasSize((int) users);
            assertThat(resources.keySet()).allMatch(k -> k.matches("(user|group|role|license):[^:]+"));
            assertThat(entitlements.keySet()).allMatch(k -> k.matches("(group:[^:]+:member|role:[^:]+:assigned|license:[^:]+:assigned)"));
            assertThat(grants).allSatisfy((id, g) -> assertThat(id).isEqualTo(g.at("/entitlement/id").asText() + ":user:"
                    + g.at("/principal/id/resource").asText()));
            assertThat(grants).hasSize((int) (truth.counts().get("memberships") + truth.counts().get("roleGrants")
                    + truth.counts().get("licenseGrants")));

            // key columns and referential integrity, as baton's readers rely on them
            assertThat(reader.count("select count(*) from v1_resources where external_id != resource_type_id || ':' || "
                    + "substr(external_id, length(resource_type_id) + 2)")).isZero();
            assertThat(reader.count("select count(*) from v1_grants g where not exists (select 1 from v1_entitlements e "
                    + "where e.external_id = g.entitlement_id) or not exists (select 1 from v1_resources r "
                    + "where r.external_id = g.principal_resource_type_id || ':' || g.principal_resource_id)")).isZero();
            assertThat(reader.count("select count(*) from v1_entitlements e where not exists (select 1 from v1_resources r "
                    + "where r.external_id = e.resource_type_id || ':' || e.resource_id)")).isZero();
            assertThat(reader.count("select count(distinct sync_id) from v1_grants")).isEqualTo(1);
        }
        try (var files = Files.list(c1z.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".sync.c1z"));
        }
    }

    @Test
    void twoSyncsInARowWriteTwoValidFiles() throws Exception {
        sinkType("c1z");
        JsonNode first = syncToEnd();
        assertThat(first.get("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
        Path c1z = Path.of(first.get("outputLocation").asText());
        Path firstCopy = Files.copy(c1z, c1z.resolveSibling("first-copy.c1z"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        EMULATOR.regenerate(350, 22);
        JsonNode second = syncToEnd();
        assertThat(second.get("state").asText()).as(second.toString()).isEqualTo("SUCCEEDED");
        assertThat(second.get("outputLocation").asText()).isEqualTo(c1z.toString());
        try (C1zReader one = new C1zReader(firstCopy); C1zReader two = new C1zReader(c1z)) {
            assertThat(one.rows("select sync_id from v1_sync_runs")).extracting(r -> r.get("sync_id")).containsExactly(first.get("id").asText());
            assertThat(two.rows("select sync_id from v1_sync_runs")).extracting(r -> r.get("sync_id")).containsExactly(second.get("id").asText());
            assertThat(one.count("select count(*) from v1_resources where resource_type_id = 'user'")).isEqualTo(300);
            assertThat(two.count("select count(*) from v1_resources where resource_type_id = 'user'")).isEqualTo(350);
            assertThat(one.count("select count(*) from v1_grants")).isEqualTo(first.at("/counts/grants").asLong());
            assertThat(two.count("select count(*) from v1_grants")).isEqualTo(second.at("/counts/grants").asLong());
        } finally {
            Files.deleteIfExists(firstCopy);
        }
    }

    @Test
    void aFailedSyncLeavesThePreviousFileIntact() throws Exception {
        sinkType("c1z");
        JsonNode good = syncToEnd();
        assertThat(good.get("state").asText()).as(good.toString()).isEqualTo("SUCCEEDED");
        Path c1z = Path.of(good.get("outputLocation").asText());
        byte[] before = Files.readAllBytes(c1z);

        EMULATOR.faults().add(Rule.of(Kind.STATUS).status(502).onPath("/Groups/").skip(3).times(-1));
        JsonNode failed = syncToEnd();
        assertThat(failed.get("state").asText()).isEqualTo("FAILED");
        assertThat(failed.get("outputLocation").isNull()).isTrue();
        assertThat(Files.readAllBytes(c1z)).isEqualTo(before);
        try (var files = Files.list(c1z.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".sync.c1z"));
        }
        try (C1zReader reader = new C1zReader(c1z)) {
            assertThat(reader.rows("select sync_id from v1_sync_runs")).extracting(r -> r.get("sync_id")).containsExactly(good.get("id").asText());
        }
    }

    private static <M extends Message> Map<String, JsonNode> byId(List<M> messages, Function<M, String> id) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (M m : messages) {
            assertThat(out.put(id.apply(m), C1zReader.json(m))).as("one row per id").isNull();
        }
        return out;
    }

    private static Map<String, JsonNode> byId(JsonNode records, Function<JsonNode, String> id) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        records.forEach(r -> out.put(id.apply(r), normalized(r)));
        return out;
    }

    private static List<JsonNode> decoded(List<? extends Message> messages) {
        return messages.stream().map(C1zReader::json).toList();
    }

    private static List<JsonNode> normalizedAll(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(n -> out.add(normalized(n)));
        return out;
    }

    /**
     * The JSON sink's record as protobuf JSON prints it: empty repeated fields and empty strings are proto3 defaults,
     * which the printer leaves out (Struct values, in "profile", are kept as they are).
     */
    private static JsonNode normalized(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                if ((v.isArray() && v.isEmpty()) || (v.isTextual() && v.asText().isEmpty())) {
                    it.remove();
                } else if (!f.getKey().equals("profile")) {
                    strip(v);
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(C1zSyncTest::strip);
        }
    }
}
