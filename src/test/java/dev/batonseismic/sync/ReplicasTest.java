package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.Application;
import dev.batonseismic.ChildJvm;
import dev.batonseismic.emulator.EmulatorSettings;
import dev.batonseismic.emulator.RequestLog;
import dev.batonseismic.emulator.SeismicEmulator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas (two JVMs) against one Seismic elect a leader: every schedule tick starts one sync, on the leader only,
 * and together they stay inside the tenant's budget (no 429). Locally the leader holds a file lock; in a cluster a
 * Kubernetes Lease (here on an in-memory API server), and when the leader's pod goes another replica takes over.
 */
class ReplicasTest {
    private static final String NAMESPACE = "seismic";

    @TempDir
    Path dir;

    private final Map<String, Process> replicas = new HashMap<>();

    @AfterEach
    void stopReplicas() throws InterruptedException {
        for (Process p : replicas.values()) {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private int replica(SeismicEmulator emulator, String name, Map<String, String> clusterEnv) throws Exception {
        int port = ChildJvm.freePort();
        EmulatorSettings s = emulator.settings();
        Map<String, String> env = new HashMap<>(Map.of("BATON_SEISMIC_API_URL", emulator.baseUrl(), "BATON_SEISMIC_AUTH_URL", emulator.tokenUrl(),
                "BATON_SEISMIC_CLIENT_ID", s.clientId, "BATON_SEISMIC_CLIENT_SECRET", s.clientSecret, "BATON_SEISMIC_TENANT", s.tenant,
                "BATON_SEISMIC_DELEGATION_USER_ID", s.delegatedUserId, "SERVER_PORT", String.valueOf(port), "SERVER_ADDRESS", "127.0.0.1",
                "SYNC_CRON", "0/4+*+*+*+*+?", "CONNECTOR_DATA_DIR", dir.resolve(name).toString()));
        env.put("SINK_FILE_DIRECTORY", dir.resolve(name + "-out").toString());
        env.putAll(ChildJvm.OPERATOR_ENV);
        env.putAll(clusterEnv);
        replicas.put(name, ChildJvm.main(Application.class, env, dir.resolve(name + ".log")).start());
        return port;
    }

    private static int syncs(int port) throws Exception {
        HttpResponse<String> r = ChildJvm.getAsOperator(port, "/api/v1/syncs");
        return r.statusCode() == 200 ? new ObjectMapper().readTree(r.body()).size() : -1;
    }

    private static void awaitUp(int... ports) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> java.util.Arrays.stream(ports).allMatch(p -> {
                    try {
                        return syncs(p) >= 0;
                    } catch (Exception e) {
                        return false;
                    }
                }));
    }

    /** The first users page of each sync Seismic has served: one per sync that got past its role catalog. */
    private static List<RequestLog.Entry> firstPages(SeismicEmulator emulator) {
        return emulator.requests().entries().stream()
                .filter(e -> e.path().equals("/scim/v2/Users") && "startIndex=1&count=100".equals(e.query())).toList();
    }

    /** Every schedule tick started exactly one sync (its first users page), and Seismic never answered 429. */
    private static void assertOneSyncPerTickAndNo429(SeismicEmulator emulator, int atLeast) {
        // a sync is listed as soon as it starts, its first users page a moment later: wait for the pages themselves
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> firstPages(emulator).size() >= atLeast);
        List<RequestLog.Entry> firstPages = firstPages(emulator);
        Map<Long, Long> perTick = firstPages.stream()
                .collect(Collectors.groupingBy(e -> e.at().getEpochSecond() / 4, HashMap::new, Collectors.counting()));
        assertThat(perTick.values()).as("one sync per tick").allMatch(n -> n == 1);
        assertThat(firstPages).hasSizeGreaterThanOrEqualTo(atLeast);
        assertThat(emulator.requests().entries()).noneMatch(e -> e.status() == 429);
    }

    @Test
    void withAFileLockOneSyncPerTickRunsOnTheLeaderAndNo429() throws Exception {
        try (SeismicEmulator emulator = SeismicEmulator.start(new EmulatorSettings().users(300).rateLimit(600, 60))) {
            Map<String, String> fileLock = Map.of("CONNECTOR_CLUSTER_FILE_ROOT", dir.resolve("cluster").toString(),
                    "CONNECTOR_CLUSTER_ACQUIRE_LOCK_INTERVAL", "1s");
            int portA = replica(emulator, "a", fileLock);
            int portB = replica(emulator, "b", fileLock);
            awaitUp(portA, portB);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> syncs(portA) + syncs(portB) >= 3);
            int a = syncs(portA);
            int b = syncs(portB);
            assertThat(Math.min(a, b)).as("only the leader runs the schedule (a=%d, b=%d)", a, b).isZero();
            assertOneSyncPerTickAndNo429(emulator, 3);
            // the leader keeps its schedule well past the point where camel-master's start task ran out of budget
            // (5 s after taking the lead: "The task Leadership does not have more budget"), and nobody logs that
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<RequestLog.Entry> pages = firstPages(emulator);
                return Duration.between(pages.get(0).at(), pages.get(pages.size() - 1).at()).toSeconds() >= 10;
            });
            for (String replica : List.of("a", "b")) {
                assertThat(Files.readString(dir.resolve(replica + ".log"))).as(replica + ".log").doesNotContain("does not have more budget");
            }
        }
    }

    @Test
    void withAKubernetesLeaseOneReplicaLeadsAndAnotherTakesOverWhenItsPodGoes() throws Exception {
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        api.init(InetAddress.getByName("127.0.0.1"), 0);
        try (KubernetesClient k8s = api.createClient();
             SeismicEmulator emulator = SeismicEmulator.start(new EmulatorSettings().users(300).rateLimit(600, 60))) {
            Map<String, Integer> ports = new HashMap<>();
            for (String pod : List.of("replica-a", "replica-b")) {
                k8s.pods().inNamespace(NAMESPACE).resource(runningAndReady(pod)).create();
                ports.put(pod, replica(emulator, pod, Map.of("CONNECTOR_CLUSTER_TYPE", "kubernetes", "POD_NAME", pod,
                        "POD_NAMESPACE", NAMESPACE, "KUBERNETES_MASTER", api.url("/"), "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
                        "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false", "CONNECTOR_CLUSTER_KUBERNETES_DURATION", "4s",
                        "CONNECTOR_CLUSTER_KUBERNETES_RENEW_DEADLINE", "3s", "CONNECTOR_CLUSTER_KUBERNETES_RETRY_PERIOD", "500ms")));
            }
            awaitUp(ports.get("replica-a"), ports.get("replica-b"));

            String leader = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> holder(k8s), h -> h != null);
            String follower = leader.equals("replica-a") ? "replica-b" : "replica-a";
            assertThat(k8s.resources(Lease.class).inNamespace(NAMESPACE).list().getItems()).extracting(l -> l.getMetadata().getName())
                    .as("one Lease, named after connector.cluster.kubernetes.name and the cron route's namespace (c1-service only in service mode)")
                    .containsExactly("baton-seismic-leader-sync-schedule");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> syncs(ports.get(leader)) >= 2);
            assertThat(syncs(ports.get(follower))).as("the follower runs no scheduled sync").isZero();
            assertThat(holder(k8s)).isEqualTo(leader);

            // the leader's pod goes (its JVM is killed, Kubernetes removes the pod): the follower takes the Lease over
            replicas.remove(leader).destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            k8s.pods().inNamespace(NAMESPACE).withName(leader).delete();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> follower.equals(holder(k8s)) && syncs(ports.get(follower)) >= 2);
            assertOneSyncPerTickAndNo429(emulator, 4);
        } finally {
            api.destroy();
        }
    }

    private static String holder(KubernetesClient k8s) {
        return k8s.resources(Lease.class).inNamespace(NAMESPACE).list().getItems().stream()
                .map(l -> l.getSpec() == null ? null : l.getSpec().getHolderIdentity())
                .filter(h -> h != null && !h.isEmpty()).findFirst().orElse(null);
    }

    private static Pod runningAndReady(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).addToLabels("app", "baton-seismic").endMetadata()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("baton-seismic").withReady(true).withNewState().withNewRunning().endRunning().endState()
                .endContainerStatus().endStatus().build();
    }
}
