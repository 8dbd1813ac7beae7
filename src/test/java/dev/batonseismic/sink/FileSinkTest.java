package dev.batonseismic.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.model.BatonGrant;
import dev.batonseismic.model.BatonRecords;
import dev.batonseismic.resources.GroupResources;
import dev.batonseismic.resources.LicenseResources;
import dev.batonseismic.resources.RoleResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
    /** Grants with ids that need no escaping and ids that do (quotes, backslashes, control characters, non-ASCII). */
    static final List<BatonGrant> GRANTS = List.of(
            new BatonGrant(GroupResources.TYPE, "4f6e6f9a-1c2b-4d3e-8f70-0123456789ab", "member", "6d1f0c3e-aaaa-bbbb-cccc-0123456789ab"),
            new BatonGrant(RoleResources.TYPE, "r\"1\\x", "assigned", "u\n\t\u0001"),
            new BatonGrant(LicenseResources.TYPE, "Bus\u00efness \u2603 \ud83d\ude00", "assigned", "\u007f<&>'/"));

    final ObjectMapper json = new ObjectMapper();

    @Test
    void aGrantIsWrittenAsTheBytesItsJsonTreeSerializesTo() throws Exception {
        BatonRecords records = new BatonRecords(json);
        FileSink sink = new FileSink(dir.toString(), json);
        for (BatonGrant g : GRANTS) {
            assertThat(new String(sink.grantJson(g), StandardCharsets.UTF_8))
                    .isEqualTo(new String(json.writeValueAsBytes(records.grant(g)), StandardCharsets.UTF_8));
        }
    }

    @TempDir
    Path dir;

    @Test
    void commitPublishesOneDocumentAndMovesLatest() throws Exception {
        FileSink sink = new FileSink(dir.toString(), json);
        SyncSink.Writer w = sink.open("sync1", Instant.parse("2026-01-01T00:00:00Z"));
        w.resource(json.createObjectNode().put("n", 1));
        w.resource(json.createObjectNode().put("n", 2));
        w.resourceJson("{\"n\":3}".getBytes(StandardCharsets.UTF_8));
        w.grant(new BatonGrant(GroupResources.TYPE, "g1", "member", "u1"));
        Path out = Path.of(w.commit(List.of(json.createObjectNode().put("id", "user")), Instant.parse("2026-01-01T00:01:00Z")));
        JsonNode doc = json.readTree(out.toFile());
        assertThat(doc.get("syncId").asText()).isEqualTo("sync1");
        assertThat(doc.get("resources").findValuesAsText("n")).containsExactly("1", "2", "3");
        assertThat(doc.get("entitlements")).isEmpty();
        assertThat(doc.get("grants")).containsExactly(new BatonRecords(json).grant(GroupResources.TYPE, "g1", "member", "u1"));
        assertThat(doc.get("endedAt").asText()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(json.readTree(dir.resolve("latest.json").toFile())).isEqualTo(doc);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("sync-sync1.json", "latest.json");
        }
    }

    @Test
    void abortKeepsTheLastGoodResultAndLeftoversAreCleared() throws Exception {
        FileSink sink = new FileSink(dir.toString(), json);
        SyncSink.Writer good = sink.open("good", Instant.now());
        good.resource(json.createObjectNode().put("n", 1));
        good.commit(List.of(), Instant.now());
        String latest = Files.readString(dir.resolve("latest.json"));

        Files.createDirectories(dir.resolve(".sync-died/"));
        Files.writeString(dir.resolve(".sync-died/resources.part"), "{}");
        SyncSink.Writer bad = sink.open("bad", Instant.now());
        assertThat(dir.resolve(".sync-died")).doesNotExist();
        bad.resource(json.createObjectNode().put("n", 2));
        bad.abort();
        assertThat(Files.readString(dir.resolve("latest.json"))).isEqualTo(latest);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("sync-good.json", "latest.json");
        }
    }
}
