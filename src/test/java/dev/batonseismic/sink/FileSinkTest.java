package dev.batonseismic.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void commitPublishesOneDocumentAndMovesLatest() throws Exception {
        FileSink sink = new FileSink(dir.toString(), json);
        SyncSink.Writer w = sink.open("sync1", Instant.parse("2026-01-01T00:00:00Z"));
        w.resource(json.createObjectNode().put("n", 1));
        w.resource(json.createObjectNode().put("n", 2));
        w.grant(json.createObjectNode().put("g", "x"));
        Path out = w.commit(List.of(json.createObjectNode().put("id", "user")), Instant.parse("2026-01-01T00:01:00Z"));
        JsonNode doc = json.readTree(out.toFile());
        assertThat(doc.get("syncId").asText()).isEqualTo("sync1");
        assertThat(doc.get("resources").findValuesAsText("n")).containsExactly("1", "2");
        assertThat(doc.get("entitlements")).isEmpty();
        assertThat(doc.get("grants")).hasSize(1);
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
