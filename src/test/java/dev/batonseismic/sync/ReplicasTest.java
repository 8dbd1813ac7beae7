package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.Application;
import dev.batonseismic.ChildJvm;
import dev.batonseismic.emulator.EmulatorSettings;
import dev.batonseismic.emulator.RequestLog;
import dev.batonseismic.emulator.SeismicEmulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        Map<String, String> env = new HashMap<>(Map.of("BATON_SEISMIC_API_URL", emulator.baseUrl(), "BATON_SEISMIC_AUTH_URL", emulator.tokenUrl(),
                "BATON_SEISMIC_CLIENT_ID", s.clientId, "BATON_SEISMIC_CLIENT_SECRET", s.clientSecret, "BATON_SEISMIC_TENANT", s.tenant,
                "BATON_SEISMIC_DELEGATION_USER_ID", s.delegatedUserId, "SERVER_PORT", String.valueOf(port), "SERVER_ADDRESS", "127.0.0.1",
                "SYNC_CRON", "0/4+*+*+*+*+?", "CONNECTOR_DATA_DIR", dir.resolve(name).toString()));
        env.put("CONNECTOR_CLUSTER_FILE_ROOT", dir.resolve("cluster").toString());
        env.put("CONNECTOR_CLUSTER_ACQUIRE_LOCK_INTERVAL", "1s");
        env.put("SINK_FILE_DIRECTORY", dir.resolve(name + "-out").toString());
        env.putAll(ChildJvm.OPERATOR_ENV);
        return ChildJvm.main(Application.class, env, dir.resolve(name + ".log")).start();
    }

    private static int syncs(int port) throws Exception {
        HttpResponse<String> r = ChildJvm.getAsOperator(port, "/api/v1/syncs");
        return r.statusCode() == 200 ? new ObjectMapper().readTree(r.body()).size() : -1;
    }

    @Test
    void oneSyncPerTickOnTheLeaderAndNo429() throws Exception {
        try (SeismicEmulator emulator = SeismicEmulator.start(new EmulatorSettings().users(300).rateLimit(600, 60))) {
            int portA = ChildJvm.freePort();
            int portB = ChildJvm.freePort();
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
