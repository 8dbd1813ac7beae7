package dev.batonseismic.demo;

import dev.batonseismic.Application;
import dev.batonseismic.emulator.EmulatorSettings;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.emulator.SeismicEmulator;
import dev.batonseismic.sync.SyncRegistry;
import dev.batonseismic.c1emulator.C1Emulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's first command, {@code mvn spring-boot:test-run}: starts the Seismic emulator with a generated tenant
 * (1,000 users by default, {@code -Ddemo.users=N}) and an embedded Kafka broker, starts the connector against them
 * with provisioning on and no credentials of yours, runs one sync into {@code out/} ({@code -Dsink.type=c1z}: into
 * {@code sync.c1z}), sends one grant each over REST, Kafka and JMS and checks them in the emulator, prints it all,
 * and keeps the REST API up until Ctrl-C. With {@code -Ddemo.c1=true} it also starts the ConductorOne emulator and runs
 * the connector in service mode: C1 asks for the sync (uploaded, not written to {@code out/}) and for a grant. The pom
 * hands {@code -Ddemo.users}, {@code -Ddemo.latency-ms}, {@code -Dsink.type}, {@code -Dserver.port} and
 * {@code -Ddemo.c1} to this JVM as {@code demo.*} system properties (empty when not given).
 */
public final class DemoApplication {
    private DemoApplication() {}

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    public static void main(String[] args) throws Exception {
        int users = Integer.getInteger("demo.users", 1000);
        EmulatorSettings s = new EmulatorSettings().users(users).latencyMs(Long.getLong("demo.latency-ms", 20));
        SeismicEmulator emulator = SeismicEmulator.start(s);
        GroundTruth truth = emulator.truth();
        String port = firstSet(System.getProperty("demo.server-port"), System.getProperty("server.port"), System.getenv("SERVER_PORT"), "8080");
        boolean serviceMode = Boolean.parseBoolean(firstSet(System.getProperty("demo.c1"), "false"));
        String sinkType = serviceMode ? "c1" : firstSet(System.getProperty("demo.sink-type"), System.getenv("SINK_TYPE"), "file");
        C1Emulator c1 = null;
        if (serviceMode) {
            c1 = C1Emulator.start();
            c1.installAsJvmTrust(); // javax.net.ssl.trustStore: how an operator trusts a private CA
        }
        String password = java.util.UUID.randomUUID().toString().substring(0, 13);
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1, DemoProvisioning.REQUESTS, DemoProvisioning.RESULTS,
                "seismic.provisioning.dlq");
        kafka.afterPropertiesSet();
        List<String> demoArgs = new ArrayList<>(List.of(
                "--seismic.api-url=" + emulator.baseUrl(),
                "--seismic.auth-url=" + emulator.tokenUrl(),
                "--seismic.client-id=" + s.clientId,
                "--seismic.client-secret=" + s.clientSecret,
                "--seismic.tenant=" + s.tenant,
                "--seismic.delegation-user-id=" + s.delegatedUserId,
                "--sync.on-startup=" + !serviceMode, // in service mode ConductorOne asks for the sync
                "--provisioning.enabled=true",
                "--provisioning.kafka.brokers=" + kafka.getBrokersAsString(),
                "--connector.data-dir=target/demo-data",
                "--sync.max-drop-percent=100", // each run generates its own tenant: no drop guard against the last run's
                "--connector.security.users[0].name=admin",
                "--connector.security.users[0].password=" + password,
                "--connector.security.users[0].roles=admin",
                "--server.port=" + port,
                "--sink.type=" + sinkType));
        if (serviceMode) {
            demoArgs.addAll(DemoServiceMode.arguments(c1));
        }
        ConfigurableApplicationContext app = SpringApplication.run(Application.class,
                java.util.stream.Stream.concat(demoArgs.stream(), java.util.Arrays.stream(args)).toArray(String[]::new));
        String rule = "=".repeat(100);
        if (serviceMode) {
            System.out.println(String.join(System.lineSeparator(), "", rule,
                    "Service mode: the connector polls the ConductorOne emulator at " + c1.apiHost() + " (TLS from a test CA, trusted "
                            + "through javax.net.ssl.trustStore), host id seismic-demo",
                    "  emulated tenant  " + truth.counts(),
                    "  login            admin / " + password + "   (this run only; Hawtio at http://localhost:" + port + "/actuator/hawtio)",
                    "  C1 status        curl -s -u admin:" + password + " localhost:" + port + "/api/v1/c1",
                    "Tasks from ConductorOne (each checked here):"));
            new DemoServiceMode(c1, emulator).run().forEach(line -> System.out.println("  " + line));
            System.out.println("Provisioning (one grant per door, each checked in the emulator):");
        } else {
            printSync(app, emulator, truth, port, sinkType, password, rule);
        }
        new DemoProvisioning(emulator, app, port, kafka.getBrokersAsString(), "admin:" + password).run().forEach(line -> System.out.println("  " + line));
        System.out.println("Ctrl-C to stop." + System.lineSeparator() + rule);
    }

    private static void printSync(ConfigurableApplicationContext app, SeismicEmulator emulator, GroundTruth truth, String port,
                                  String sinkType, String password, String rule) {
        SyncRegistry syncs = app.getBean(SyncRegistry.class);
        Map<String, Object> sync = Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> syncs.list().isEmpty() ? null : syncs.list().get(0),
                        v -> v != null && !"RUNNING".equals(v.get("state")));
        System.out.println(String.join(System.lineSeparator(), "", rule,
                "Demo sync " + sync.get("id") + " " + sync.get("state") + " in " + sync.get("durationMs") + " ms",
                "  emulated tenant  " + truth.counts(),
                "  synced           " + sync.get("counts"),
                "  API calls        " + sync.get("apiCalls") + " (minimal SCIM calls " + truth.minimalScimCalls()
                        + " + role catalog), rate-limited " + sync.get("rateLimited"),
                "  warnings         " + sync.get("warnings"),
                "  output           " + (sync.get("outputLocation") != null ? sync.get("outputLocation") : "none: " + sync.get("error"))
                        + ("c1z".equals(sinkType) ? "    (look inside: scripts/c1z-inspect.sh " + sync.get("outputLocation") + ")" : ""),
                "  login            admin / " + password + "   (this run only; Hawtio at http://localhost:" + port + "/actuator/hawtio)",
                "  REST API         curl -s -u admin:" + password + " localhost:" + port + "/api/v1/syncs/" + sync.get("id")
                        + "    (POST /api/v1/syncs starts another)",
                "  Seismic emulator " + emulator.baseUrl() + "/_emulator (ground truth, request log, faults)",
                "Provisioning (one grant per door, each checked in the emulator):"));
    }
}
