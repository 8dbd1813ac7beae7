package dev.batonseismic.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.ChildJvm;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything of the container image short of pulling a base image: the packaged jar's layered extraction (what the
 * Dockerfile runs) works, and the extracted layout, laid out as the Dockerfile lays it out in /app, starts from its
 * own working directory with mounted-style routes/ and config/, the container profile, and a separate data volume.
 */
class LayeredImageIT {
    @TempDir
    Path work;

    @Test
    void extractedLayersStartWithMountedRoutesAndConfig() throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("seismic-connector-.*\\.jar")).findFirst().orElseThrow();
        }
        String javaBin = ChildJvm.java();
        Process extract = new ProcessBuilder(javaBin, "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract", "--layers",
                "--launcher", "--destination", work.resolve("extracted").toString()).inheritIO().start();
        assertThat(extract.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(extract.exitValue()).isZero();

        Path app = Files.createDirectories(work.resolve("app"));
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            copyTree(work.resolve("extracted").resolve(layer), app);
        }
        copyTree(Path.of("routes"), app.resolve("routes"));
        copyTree(Path.of("config"), app.resolve("config"));
        Path data = Files.createDirectories(work.resolve("data"));

        int port = ChildJvm.freePort();
        ProcessBuilder pb = new ProcessBuilder(entrypoint(javaBin))
                .directory(app.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("out.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of(
                "SPRING_PROFILES_ACTIVE", "container",
                "CONNECTOR_ROUTES_DIR", app.resolve("routes").toString(),
                "CONNECTOR_DATA_DIR", data.toString(),
                "SINK_FILE_DIRECTORY", data.resolve("out").toString(),
                "SERVER_PORT", String.valueOf(port), "SERVER_ADDRESS", "127.0.0.1",
                "BATON_SEISMIC_CLIENT_ID", "client", "BATON_SEISMIC_CLIENT_SECRET", "secret", "BATON_SEISMIC_TENANT", "acme"));
        pb.environment().putAll(ChildJvm.OPERATOR_ENV);
        pb.environment().put("SYNC_CRON", "0+0+0+1+1+?+2099");
        Process p = pb.start();
        try {
            HttpResponse<String> r = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> ChildJvm.getAsOperator(port, "/api/v1/syncs"), resp -> resp.statusCode() == 200);
            assertThat(r.body()).isEqualTo("[]");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String log = Files.readString(work.resolve("out.log"));
        assertThat(log.lines().filter(l -> l.startsWith("{")).count()).as("structured JSON logs").isPositive();
        assertThat(log).doesNotContain("secret\"").contains("Started Application");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The Dockerfile's ENTRYPOINT (exec form), with this machine's java binary. */
    static List<String> entrypoint(String javaBin) throws IOException {
        String line = Files.readAllLines(Path.of("Dockerfile")).stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        List<String> command = new ArrayList<>();
        new ObjectMapper().readTree(line.substring("ENTRYPOINT ".length())).forEach(n -> command.add(n.asText()));
        assertThat(command.get(0)).isEqualTo("java");
        command.set(0, javaBin);
        return command;
    }
}
