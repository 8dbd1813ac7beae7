package dev.batonseismic.demo;

import dev.batonseismic.Application;
import dev.batonseismic.emulator.EmulatorSettings;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.emulator.SeismicEmulator;
import dev.batonseismic.sync.SyncRegistry;
import java.time.Duration;
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
 * and keeps the REST API up until Ctrl-C. The pom hands {@code -Ddemo.users}, {@code -Ddemo.latency-ms},
 * {@code -Dsink.type} and {@code -Dserver.port} to this JVM as {@code demo.*} system properties (empty when not given).
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
        String sinkType = firstSet(System.getProperty("demo.sink-type"), System.getenv("SINK_TYPE"), "file");
        String password = java.util.UUID.randomUUID().toString().substring(0, 13);
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1, DemoProvisioning.REQUESTS, DemoProvisioning.RESULTS,
                "seismic.provisioning.dlq");
        kafka.afterPropertiesSet();
        List<String> demoArgs = List.of(
                "--seismic.api-url=" + emulator.baseUrl(),
                "--seismic.auth-url=" + emulator.tokenUrl(),
                "--seismic.client-id=" + s.clientId,
                "--seismic.client-secret=" + s.clientSecret,
                "--seismic.tenant=" + s.tenant,
                "--seismic.delegation-user-id=" + s.delegatedUserId,
                "--sync.on-startup=true",
                "--provisioning.enabled=true",
                "--provisioning.kafka.brokers=" + kafka.getBrokersAsString(),
                "--connector.data-dir=target/demo-data",
                "--sync.max-drop-percent=100", // each run generates its own tenant: no drop guard against the last run's
                "--connector.security.users[0].name=admin",
                "--connector.security.users[0].password=" + password,
                "--connector.security.users[0].roles=admin",
                "--server.port=" + port,
                "--sink.type=" + sinkType);
        ConfigurableApplicationContext app = SpringApplication.run(Application.class,
                java.util.stream.Stream.concat(demoArgs.stream(), java.util.Arrays.stream(args)).toArray(String[]::new));
        SyncRegistry syncs = app.getBean(SyncRegistry.class);
        Map<String, Object> sync = Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> syncs.list().isEmpty() ? null : syncs.list().get(0),
                        v -> v != null && !"RUNNING".equals(v.get("state")));
        String rule = "=".repeat(100);
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
        new DemoProvisioning(emulator, app, port, kafka.getBrokersAsString(), "admin:" + password).run().forEach(line -> System.out.println("  " + line));
        System.out.println("Ctrl-C to stop." + System.lineSeparator() + rule);
    }
}
