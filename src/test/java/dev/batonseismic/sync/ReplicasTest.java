package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.Application;
import dev.batonseismic.emulator.EmulatorSettings;
import dev.batonseismic.emulator.RequestLog;
import dev.batonseismic.emulator.SeismicEmulator;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas (two JVMs) against one Seismic share a cluster lock: every schedule tick starts one sync, on the
 * leader only, and together they stay inside the tenant's budget (no 429).
 */
class ReplicasTest {
    @TempDir
    Path dir;

    private Process replica(SeismicEmulator emulator, String name, int port) throws Exception {
        EmulatorSettings s = emulator.settings();
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Application.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(Map.of("BATON_SEISMIC_API_URL", emulator.baseUrl(), "BATON_SEISMIC_AUTH_URL", emulator.tokenUrl(),
                "BATON_SEISMIC_CLIENT_ID", s.clientId, "BATON_SEISMIC_CLIENT_SECRET", s.clientSecret, "BATON_SEISMIC_TENANT", s.tenant,
                "BATON_SEISMIC_DELEGATION_USER_ID", s.delegatedUserId, "SERVER_PORT", String.valueOf(port), "SERVER_ADDRESS", "127.0.0.1",
                "SYNC_CRON", "0/4+*+*+*+*+?", "CONNECTOR_DATA_DIR", dir.resolve(name).toString()));
        env.put("CONNECTOR_CLUSTER_FILE_ROOT", dir.resolve("cluster").toString());
        env.put("CONNECTOR_CLUSTER_ACQUIRE_LOCK_INTERVAL", "1s");
        env.put("SINK_FILE_DIRECTORY", dir.resolve(name + "-out").toString());
        env.put("CONNECTOR_SECURITY_USERS_0_NAME", "ops");
        env.put("CONNECTOR_SECURITY_USERS_0_PASSWORD", "ops-password");
        env.put("CONNECTOR_SECURITY_USERS_0_ROLES", "admin");
        return pb.start();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int syncs(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/syncs"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ops:ops-password".getBytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? new ObjectMapper().readTree(r.body()).size() : -1;
    }

    @Test
    void oneSyncPerTickOnTheLeaderAndNo429() throws Exception {
        try (SeismicEmulator emulator = SeismicEmulator.start(new EmulatorSettings().users(300).rateLimit(600, 60))) {
            int portA = freePort();
            int portB = freePort();
            List<Process> replicas = new ArrayList<>(List.of(replica(emulator, "a", portA), replica(emulator, "b", portB)));
            try {
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> syncs(portA) >= 0 && syncs(portB) >= 0);
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> syncs(portA) + syncs(portB) >= 3);
                int a = syncs(portA);
                int b = syncs(portB);
                assertThat(Math.min(a, b)).as("only the leader runs the schedule (a=%d, b=%d)", a, b).isZero();
                List<RequestLog.Entry> firstPages = emulator.requests().entries().stream()
                        .filter(e -> e.path().equals("/scim/v2/Users") && "startIndex=1&count=100".equals(e.query())).toList();
                Map<Long, Long> perTick = firstPages.stream()
                        .collect(Collectors.groupingBy(e -> e.at().getEpochSecond() / 4, HashMap::new, Collectors.counting()));
                assertThat(perTick.values()).as("one sync per tick").allMatch(n -> n == 1);
                assertThat(firstPages).hasSizeGreaterThanOrEqualTo(3);
                assertThat(emulator.requests().entries()).noneMatch(e -> e.status() == 429);
            } finally {
                for (Process p : replicas) {
                    p.destroy();
                    p.waitFor(20, TimeUnit.SECONDS);
                }
            }
        }
    }
}
