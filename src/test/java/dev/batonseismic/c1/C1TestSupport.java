package dev.batonseismic.c1;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.Application;
import dev.batonseismic.ConnectorTestSupport;
import dev.batonseismic.c1emulator.C1Emulator;
import dev.batonseismic.c1emulator.C1EmulatorSettings;
import dev.batonseismic.c1emulator.C1Records;
import dev.batonseismic.emulator.SeismicEmulator;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app in ConductorOne service mode, against both emulators: the Seismic one (shared with the other tests) over
 * HTTP, and a C1 emulator over TLS, trusted the way an operator would make the JVM trust a private CA
 * ({@code javax.net.ssl.trustStore}). Its own data directory (the drop guard's baseline, the cluster lock) and no Kafka.
 * Each test class's context is closed after it, so only one polls the C1 emulator at a time.
 */
@CamelSpringBootTest
@AutoConfigureObservability(tracing = false) // /actuator/prometheus, as in production
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS) // one context at a time polls the one C1 emulator
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sync.cron=0+0+0+1+1+?+2099",
        "seismic.retry.initial-backoff=20ms",
        "seismic.retry.max-attempts=4",
        "seismic.http.response-timeout-ms=1500",
        "sync.max-drop-percent=100",
        "sync.concurrency=4",
        "seismic.rate-limit.calls=0",
        "provisioning.enabled=true",
        "provisioning.kafka.enabled=false",
        "seismic.health.retry-after=2s",
        "connector.data-dir=target/test-data-c1",
        "spring.artemis.embedded.persistent=false",
        "connector.security.users[0].name=" + ConnectorTestSupport.ADMIN,
        "connector.security.users[0].password=" + ConnectorTestSupport.ADMIN_PASSWORD,
        "connector.security.users[0].roles=admin",
        "c1.enabled=true",
        "c1.host-id=" + C1TestSupport.HOST_ID,
        "c1.call-timeout=5s",
        "c1.max-backoff=2s",
        "c1.finish-retry-delay=100",
        "c1.temp-dir=target/c1-temp",
        "camel.component.direct.timeout=2000", // a stopped route fails its callers after 2 s, not 30 (one test stops sync-run)
})
public abstract class C1TestSupport {
    static final String HOST_ID = "seismic-test-host";
    static final int STARTUP_HELLO_FAILURES = 2;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TASK_TIMEOUT = Duration.ofSeconds(60);
    static final Path TEMP_DIR = Path.of("target", "c1-temp").toAbsolutePath();
    static final SeismicEmulator EMULATOR = ConnectorTestSupport.EMULATOR;
    static final C1Emulator C1 = startTrusted();

    protected TestRestTemplate rest;

    private static C1Emulator startTrusted() {
        C1Emulator c1 = C1Emulator.start(new C1EmulatorSettings());
        c1.installAsJvmTrust(); // javax.net.ssl.trustStore: the JDK's CAs and the test CA, for the whole test JVM
        return c1;
    }

    @Autowired
    void adminClient(TestRestTemplate anonymous) {
        rest = anonymous.withBasicAuth(ConnectorTestSupport.ADMIN, ConnectorTestSupport.ADMIN_PASSWORD);
    }

    /** Runs as each context is built: its first two Hellos fail, so every context starts by backing off. */
    @DynamicPropertySource
    static void c1(DynamicPropertyRegistry r) {
        C1.failHellos(STARTUP_HELLO_FAILURES, io.grpc.Status.Code.UNAVAILABLE);
        ConnectorTestSupport.seismic(r);
        r.add("c1.client-id", C1::clientId);
        r.add("c1.client-secret", C1::clientSecret);
        r.add("c1.api-host", C1::apiHost);
    }

    /** The task's accepted FinishTask. */
    static C1Records.FinishCall finished(String taskId) {
        return C1.awaitFinish(taskId, TASK_TIMEOUT);
    }

    JsonNode c1Status() throws Exception {
        return JSON.readTree(rest.getForObject("/api/v1/c1", String.class));
    }

    /** Waits until the connector has said Hello (the first test of a context may run before it has). */
    void awaitConnected() {
        await().atMost(Duration.ofSeconds(30)).until(() -> c1Status().get("state").asText().equals("CONNECTED"));
    }
}
