package dev.batonseismic;

import dev.batonseismic.emulator.EmulatorSettings;
import dev.batonseismic.emulator.SeismicEmulator;
import java.nio.file.Path;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shared test setup: one Seismic emulator per test JVM, and one Spring context (the real app with the real
 * routes/*.yaml) pointed at it over HTTP. Test classes extend this without adding properties, so they share the
 * context; each test shapes the emulator's tenant itself. Provisioning is on, with an embedded KRaft Kafka broker and
 * the embedded Artemis broker (in memory).
 */
@CamelSpringBootTest
@DisableJmx(false) // as in production: Hawtio's view of the routes (Camel's MBeans) is there, and tests see it too
@AutoConfigureObservability(tracing = false)
@EmbeddedKafka(kraft = true, partitions = 1, topics = {"seismic.provisioning.requests", "seismic.provisioning.results", "seismic.provisioning.dlq"})
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sync.cron=0+0+0+1+1+?+2099",
        "seismic.retry.initial-backoff=20ms",
        "seismic.retry.max-attempts=4",
        "seismic.http.response-timeout-ms=1500",
        "sync.max-drop-percent=100", // tests resize the tenant freely; SyncGuardTest turns the guard on for itself
        "sync.concurrency=" + ConnectorTestSupport.SYNC_CONCURRENCY,
        "seismic.rate-limit.calls=0",
        "provisioning.enabled=true",
        "provisioning.redelivery.max-deliveries=8",
        "provisioning.redelivery.initial-delay=100ms",
        "provisioning.redelivery.max-delay=300ms",
        "seismic.health.retry-after=2s",
        "seismic.callback.signing-secret=" + ConnectorTestSupport.CALLBACK_SECRET,
        "connector.data-dir=target/test-data",
        "provisioning.kafka.brokers=${spring.embedded.kafka.brokers}",
        "spring.artemis.embedded.persistent=false",
        "connector.security.users[0].name=" + ConnectorTestSupport.ADMIN, "connector.security.users[0].password=" + ConnectorTestSupport.ADMIN_PASSWORD,
        "connector.security.users[0].roles=admin",
        "connector.security.users[1].name=watcher", "connector.security.users[1].password=watcher-secret",
        "connector.security.users[1].roles=viewer",
        "connector.security.api-keys[0].name=ci", "connector.security.api-keys[0].key=" + ConnectorTestSupport.API_KEY,
})
public abstract class ConnectorTestSupport {
    /** Group member pages fetched in parallel in the shared context. */
    public static final int SYNC_CONCURRENCY = 4;
    public static final String ADMIN = "tester";
    public static final String ADMIN_PASSWORD = "tester-secret";
    public static final String API_KEY = "test-api-key-123";
    public static final String CALLBACK_SECRET = "seismic-signing-secret";
    public static final SeismicEmulator EMULATOR = SeismicEmulator.start(new EmulatorSettings().users(100).rateLimit(0, 60));
    public static final Path SINK_DIR = Path.of("target", "test-sink").toAbsolutePath();

    /** The app's REST API as the admin user. */
    protected TestRestTemplate rest;

    @Autowired
    void adminClient(TestRestTemplate anonymous) {
        rest = anonymous.withBasicAuth(ADMIN, ADMIN_PASSWORD);
    }

    /** The app's settings that point it at the Seismic emulator and the test sink directory. */
    @DynamicPropertySource
    public static void seismic(DynamicPropertyRegistry r) {
        EmulatorSettings s = EMULATOR.settings();
        r.add("seismic.api-url", EMULATOR::baseUrl);
        // written as Seismic documents it: {tenant} is BATON_SEISMIC_TENANT's value
        r.add("seismic.auth-url", () -> EMULATOR.baseUrl() + "/tenants/{tenant}/connect/token");
        r.add("seismic.client-id", () -> s.clientId);
        r.add("seismic.client-secret", () -> s.clientSecret);
        r.add("seismic.tenant", () -> s.tenant);
        r.add("seismic.delegation-user-id", () -> s.delegatedUserId);
        r.add("sink.file.directory", SINK_DIR::toString);
        r.add("sink.c1z.file", () -> SINK_DIR.resolve("sync.c1z").toString());
    }
}
