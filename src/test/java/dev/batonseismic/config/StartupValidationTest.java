package dev.batonseismic.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batonseismic.Application;
import dev.batonseismic.ChildJvm;
import dev.batonseismic.c1emulator.C1Emulator;
import dev.batonseismic.emulator.EmulatorSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app as an operator starts it: its own JVM, configured only by environment variables, from a working
 * directory that is not the project. Misconfiguration stops it with a non-zero exit and plain sentences.
 */
class StartupValidationTest {
    static final String SECRET = "s3cr3t-never-print-me";

    @TempDir
    Path elsewhere;

    private Map<String, String> validEnv() {
        EmulatorSettings s = new EmulatorSettings();
        Map<String, String> env = new HashMap<>();
        env.put("BATON_SEISMIC_CLIENT_ID", s.clientId);
        env.put("BATON_SEISMIC_CLIENT_SECRET", SECRET);
        env.put("BATON_SEISMIC_TENANT", "acme");
        env.put("BATON_SEISMIC_DELEGATION_USER_ID", s.delegatedUserId);
        env.put("SYNC_CRON", "0+0+0+1+1+?+2099");
        env.putAll(ChildJvm.OPERATOR_ENV);
        return env;
    }

    private Process start(Map<String, String> env) throws IOException {
        return ChildJvm.main(Application.class, env, elsewhere.resolve("out.log")).directory(elsewhere.toFile()).start();
    }

    /** The valid settings plus the API port (and the sink) of a run that stays up. */
    private Map<String, String> serving(int port) {
        Map<String, String> env = validEnv();
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("SINK_FILE_DIRECTORY", elsewhere.resolve("out").toString());
        return env;
    }

    private String runToExit(Map<String, String> env) throws Exception {
        Process p = start(env);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the app should stop by itself").isTrue();
        String out = Files.readString(elsewhere.resolve("out.log"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("APPLICATION FAILED TO START")
                .doesNotContain(SECRET);
        return out;
    }

    @Test
    void missingCredentialsStopStartUpWithOneSentenceEach() throws Exception {
        String out = runToExit(Map.of());
        assertThat(out).contains("Configuration error: BATON_SEISMIC_CLIENT_ID is not set: give it the OAuth2 client id of the Seismic app registration.")
                .contains("Configuration error: BATON_SEISMIC_CLIENT_SECRET is not set")
                .contains("Configuration error: BATON_SEISMIC_TENANT is not set")
                .doesNotContain("BATON_SEISMIC_DELEGATION_USER_ID") // optional: Seismic's callback can provide it
                .contains("Configuration error: CONNECTOR_SECURITY_USERS_0_NAME is not set");
    }

    @Test
    void oneMissingVariableIsNamedAlone() throws Exception {
        Map<String, String> env = validEnv();
        env.remove("BATON_SEISMIC_TENANT");
        String out = runToExit(env);
        assertThat(out.lines().filter(l -> l.startsWith("Configuration error:")))
                .containsExactly("Configuration error: BATON_SEISMIC_TENANT is not set: give it the tenant name, e.g. acme for acme.seismic.com.");
    }

    @Test
    void malformedValuesAreNamedWithoutEchoingSecrets() throws Exception {
        Map<String, String> env = validEnv();
        env.put("CONNECTOR_CLUSTER_TYPE", "zookeeper");
        env.put("BATON_SEISMIC_TENANT", "acme.seismic.com");
        env.put("BATON_PROVISIONING", "yes");
        env.put("BATON_SEISMIC_API_URL", "api.seismic.com");
        env.put("BATON_SEISMIC_DELEGATION_USER_ID", "jane@acme.com");
        env.put("SINK_TYPE", "s3");
        env.put("SYNC_PAGE_SIZE", "500");
        env.put("PROVISIONING_REDELIVERY_INITIAL_DELAY", "soon");
        env.put("BATON_TICKETING", "true");
        env.put("BATON_LOG_LEVEL", "loud");
        env.put("BATON_OTEL_COLLECTOR_ENDPOINT", "https://otel-collector:4317");
        // baton's configuration file is read as its environment variables
        Path batonYaml = Files.writeString(Path.of("target", "startup-validation-baton.yaml").toAbsolutePath(), "storage-engine: pebble\n");
        env.put("BATON_CONFIG_PATH", batonYaml.toString());
        String out = runToExit(env);
        assertThat(out).contains("Configuration error: CONNECTOR_CLUSTER_TYPE is malformed: expected file or kubernetes, got 'zookeeper'.")
                .contains("Configuration error: BATON_SEISMIC_TENANT is malformed")
                .contains("Configuration error: BATON_PROVISIONING is malformed: expected true or false, got 'yes'.")
                .contains("Configuration error: BATON_SEISMIC_API_URL is malformed: expected an absolute http(s) URL, got 'api.seismic.com'.")
                .contains("Configuration error: BATON_SEISMIC_DELEGATION_USER_ID is malformed")
                .contains("Configuration error: SINK_TYPE 's3' is not available")
                .contains("Configuration error: SYNC_PAGE_SIZE (sync.page-size) is malformed: expected a whole number from 1 to 100, got '500'.")
                .contains("Configuration error: PROVISIONING_REDELIVERY_INITIAL_DELAY (provisioning.redelivery.initial-delay) is malformed")
                .contains("Configuration error: BATON_TICKETING is set, but this connector has no ticketing")
                .contains("Configuration error: BATON_LOG_LEVEL is malformed: expected debug, info, warn or error, got 'loud'.")
                .contains("Configuration error: BATON_STORAGE_ENGINE is pebble, but this connector writes the .c1z in SQLite")
                .contains("Configuration error: BATON_OTEL_COLLECTOR_ENDPOINT is malformed: expected the collector's OTLP/gRPC host:port "
                        + "such as otel-collector:4317, with no scheme (BATON_OTEL_COLLECTOR_ENDPOINT_TLS_INSECURE=true for plaintext), "
                        + "got 'https://otel-collector:4317'.");
    }

    @Test
    void anUnknownResourceTypeInBatonsSyncResourceTypesAndAResourceThatCannotBeTargetedAreNamed() throws Exception {
        Map<String, String> env = validEnv();
        env.put("BATON_SYNC_RESOURCE_TYPES", "user,team");
        env.put("BATON_SYNC_RESOURCES", "bid:r:group/8f2d6c1e,bid:r:license/premium");
        String out = runToExit(env);
        assertThat(out.lines().filter(l -> l.startsWith("Configuration error:"))).containsExactly(
                "Configuration error: BATON_SYNC_RESOURCE_TYPES is malformed: unknown resource type 'team': this connector syncs user, group, role, license.",
                "Configuration error: BATON_SYNC_RESOURCES is malformed: bid:r:license/premium cannot be synced by itself: Seismic gives a "
                        + "license's grants only with every user, so sync the type instead (resource types [\"license\"]); these can be "
                        + "targeted: user, group.");
    }

    @Test
    void aMissingRoutesDirectoryIsNamed() throws Exception {
        Map<String, String> env = validEnv();
        env.put("CONNECTOR_ROUTES_DIR", "no-such-routes");
        assertThat(runToExit(env)).contains("Configuration error: CONNECTOR_ROUTES_DIR does not name a directory");
    }

    @Test
    void managementEndpointsCanMoveToTheirOwnPort() throws Exception {
        int port = ChildJvm.freePort();
        int management = ChildJvm.freePort();
        Map<String, String> env = serving(port);
        env.put("MANAGEMENT_SERVER_PORT", String.valueOf(management));
        env.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
        Process p = start(env);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String auth = ChildJvm.OPERATOR_AUTH;
            HttpResponse<String> health = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management
                            + "/actuator/health/liveness")).build(), HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
            assertThat(health.body()).contains("UP");
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("still protected on its own port").isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/actuator/prometheus"))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> ChildJvm.getAsOperator(port, "/api/v1/syncs").statusCode() == 200);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("not on the API port any more").isIn(401, 404);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void startsFromAnotherDirectoryWithTheRoutesFromDisk() throws Exception {
        int port = ChildJvm.freePort();
        Process p = start(serving(port));
        try {
            HttpResponse<String> r = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions().until(() -> ChildJvm.getAsOperator(port, "/api/v1/syncs"), resp -> resp.statusCode() == 200);
            assertThat(r.body()).isEqualTo("[]");
            assertThat(p.isAlive()).isTrue();
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(elsewhere.resolve("out.log"))).doesNotContain(SECRET).contains("Started Application");
    }

    @Test
    void malformedConductorOneSettingsAreNamedWithThePartThatIsWrong() throws Exception {
        Map<String, String> env = validEnv();
        String key = "eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5IiwieCI6Im5vdC1hLWtleSJ9";
        env.put("BATON_CLIENT_ID", "happy-otter-123.acme.conductor.one/pcc");
        env.put("BATON_CLIENT_SECRET", "secret-token:conductorone.com:v2:" + key);
        env.put("BATON_C1_API_HOST", "https://acme.conductor.one");
        env.put("SINK_TYPE", "file");
        String out = runToExit(env);
        assertThat(out).contains("Configuration error: BATON_CLIENT_ID is malformed: it has no '@'; expected "
                        + "<client-name>@<tenant-host>/<suffix>, e.g. happy-otter-123@acme.conductor.one/pcc.")
                .contains("Configuration error: BATON_CLIENT_SECRET is malformed: its third part (the version) is not v1")
                .contains("Configuration error: BATON_C1_API_HOST is malformed: expected host[:port]")
                .contains("Configuration error: SINK_TYPE=file and BATON_CLIENT_ID are both set")
                .doesNotContain(key);
    }

    @Test
    void theSeedsSecretAloneStartsServiceMode() throws Exception {
        try (C1Emulator c1 = C1Emulator.start()) {
            int port = ChildJvm.freePort();
            Map<String, String> env = serving(port);
            env.putAll(c1.connectorEnvironment()); // BATON_CLIENT_ID, BATON_CLIENT_SECRET (+ BATON_C1_API_HOST: the test's own host)
            env.put("BATON_HOST_ID", "baton-seismic");
            List<String> jvm = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
            c1.trustStoreProperties().forEach((k, v) -> jvm.add("-D" + k + "=" + v));
            Process p = ChildJvm.main(Application.class, jvm, env, elsewhere.resolve("out.log")).directory(elsewhere.toFile()).start();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> !c1.hellos().isEmpty() || !p.isAlive());
                assertThat(c1.hellos()).as(Files.readString(elsewhere.resolve("out.log"))).isNotEmpty();
                assertThat(c1.hellos().get(0).request().getHostId()).isEqualTo("baton-seismic");
                HttpResponse<String> status = Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> ChildJvm.getAsOperator(port, "/api/v1/c1"), r -> r.body().contains("\"state\":\"CONNECTED\""));
                assertThat(status.body()).contains("\"hostId\":\"baton-seismic\"");
                assertThat(ChildJvm.getAsOperator(port, "/api/v1/syncs").body()).isEqualTo("[]");
            } finally {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
            assertThat(Files.readString(elsewhere.resolve("out.log"))).doesNotContain(SECRET)
                    .doesNotContain(c1.clientSecret().substring(c1.clientSecret().lastIndexOf(':') + 1)).doesNotContain("c1emu_");
        }
    }
}
