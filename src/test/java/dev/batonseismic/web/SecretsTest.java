package dev.batonseismic.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.ConnectorTestSupport;
import dev.batonseismic.Messaging;
import dev.batonseismic.emulator.FaultInjector.Kind;
import dev.batonseismic.emulator.FaultInjector.Rule;
import dev.batonseismic.provisioning.ProvisioningProbe;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jms.core.JmsTemplate;

/**
 * Secrets stay secret: during syncs (one with a token expiring mid-way and a 5xx, one failing on refused credentials)
 * and provisioning over REST, Kafka and JMS (one during an outage), with Camel's backlog tracer switched on as an
 * admin could from Hawtio, no client secret, bearer token the emulator issued, callback signing secret, user password
 * or API key appears in the logs, the console output, error bodies, the status API, or what Hawtio reads through
 * Jolokia (every Camel MBean attribute, route dumps, inflight and browse operations, the tracer's messages).
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsTest extends ConnectorTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Autowired
    JmsTemplate jms;

    final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    final Map<String, String> seen = new LinkedHashMap<>();
    String csrf;

    /** Every log event, formatted with its stack trace, whatever the appenders of the configuration print. */
    static final class Capture extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            lines.add(e.getLoggerName() + " " + e.getFormattedMessage() + " " + e.getMDCPropertyMap()
                    + (e.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
    }

    private HttpResponse<String> call(String method, String path, String auth, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (csrf != null) {
            b.header("X-XSRF-TOKEN", csrf);
        }
        HttpResponse<String> r = browser.send(b.build(), HttpResponse.BodyHandlers.ofString());
        seen.put(method + " " + path + " #" + seen.size(), r.statusCode() + " " + r.headers().map() + " " + r.body());
        return r;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode jolokia(JsonNode request) throws Exception {
        HttpResponse<String> r = call("POST", "/actuator/jolokia", basic(ADMIN, ADMIN_PASSWORD), "application/json", request.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode syncToEnd() throws Exception {
        HttpResponse<String> started = call("POST", "/api/v1/syncs", basic(ADMIN, ADMIN_PASSWORD), null, null);
        String id = JSON.readTree(started.body()).get("id").asText();
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(call("GET", "/api/v1/syncs/" + id, "Bearer " + API_KEY, null, null).body()),
                        s -> !s.get("state").asText().equals("RUNNING"));
    }

    @Test
    void noSecretInLogsErrorsStatusOrHawtio(CapturedOutput output) throws Exception {
        Capture capture = new Capture();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        capture.start();
        root.addAppender(capture);
        String tracer = null;
        try {
            EMULATOR.regenerate(150, 71);
            EMULATOR.faults().clear();
            call("GET", "/actuator/jolokia/version", basic(ADMIN, ADMIN_PASSWORD), null, null);
            csrf = ((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals("XSRF-TOKEN")).findFirst().orElseThrow().getValue();

            // the backlog tracer, as an admin would switch it on in Hawtio's Trace tab (if the app offers it)
            JsonNode search = jolokia(JSON.createObjectNode().put("type", "search").put("mbean", "org.apache.camel:type=tracer,*"));
            for (JsonNode n : search.path("value")) {
                if (n.asText().contains("BacklogTracer")) {
                    tracer = n.asText();
                }
            }
            if (tracer != null) {
                jolokia(JSON.createObjectNode().put("type", "write").put("mbean", tracer).put("attribute", "Enabled").put("value", true));
            }

            // a sync with a token expiring mid-way and a 5xx, then one that fails on refused credentials
            EMULATOR.faults().add(Rule.of(Kind.EXPIRE_TOKENS).onPath("^/scim/v2/Groups").skip(1));
            EMULATOR.faults().add(Rule.of(Kind.STATUS).status(503).onPath("^/scim/v2/Users"));
            assertThat(syncToEnd().get("state").asText()).isEqualTo("SUCCEEDED");
            EMULATOR.faults().clear();
            EMULATOR.settings().clientActive = false;
            EMULATOR.revokeTokens();
            try {
                JsonNode failed = syncToEnd();
                assertThat(failed.get("state").asText()).isEqualTo("FAILED");
                assertThat(failed.get("error").asText()).contains("invalid_client");
            } finally {
                EMULATOR.settings().clientActive = true;
            }

            // provisioning over each door, one request failing while Seismic is down
            String[] ug = ProvisioningProbe.userOutsideSomeGroup(EMULATOR);
            ObjectNode grant = JSON.createObjectNode().put("requestId", UUID.randomUUID().toString()).put("operation", "grant")
                    .put("entitlementId", "group:" + ug[1] + ":member").put("principalId", "user:" + ug[0]);
            assertThat(call("POST", "/api/v1/provisioning", "Bearer " + API_KEY, "application/json", grant.toString()).statusCode()).isEqualTo(200);
            EMULATOR.faults().add(Rule.of(Kind.STATUS).status(503).onPath("^/scim/").times(-1));
            HttpResponse<String> down = call("POST", "/api/v1/provisioning", basic(ADMIN, ADMIN_PASSWORD), "application/json",
                    grant.put("requestId", UUID.randomUUID().toString()).put("operation", "revoke").put("grantId",
                            "group:" + ug[1] + ":member:user:" + ug[0]).toString());
            assertThat(down.statusCode()).isEqualTo(503);
            EMULATOR.faults().clear();
            Messaging kafka = Messaging.of(camel);
            String kafkaId = UUID.randomUUID().toString();
            kafka.send(ug[0], grant.put("requestId", kafkaId).toString());
            seen.put("kafka result", kafka.awaitResult(kafkaId, 1).toString());
            jms.setReceiveTimeout(30_000);
            Message reply = jms.sendAndReceive(Messaging.REQUESTS, s -> s.createTextMessage(grant.put("requestId", UUID.randomUUID().toString()).toString()));
            seen.put("jms reply", ((TextMessage) reply).getText());

            // error bodies: refused credentials, bad callbacks, bad requests
            call("GET", "/api/v1/syncs", basic(ADMIN, "wrong-" + ADMIN_PASSWORD), null, null);
            call("GET", "/api/v1/syncs", "Bearer " + API_KEY + "x", null, null);
            call("POST", "/api/v1/seismic/delegation-callback", null, "application/json", "{\"delegationUserId\": \"x\"}");
            String body = "{\"tenant\": \"demo\"}";
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(CALLBACK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            HttpRequest.Builder signed = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/seismic/delegation-callback"))
                    .header("Content-Type", "application/json").header("x-seismic-signature", HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> cb = browser.send(signed.build(), HttpResponse.BodyHandlers.ofString());
            seen.put("signed callback", cb.statusCode() + " " + cb.body());
            call("POST", "/api/v1/provisioning", basic(ADMIN, ADMIN_PASSWORD), "application/json", "{\"requestId\": \"" + CALLBACK_SECRET + "-no\"");

            // the status API and what Hawtio reads
            call("GET", "/api/v1/syncs", basic("watcher", "watcher-secret"), null, null);
            call("GET", "/api/v1/provisioning/dead-letters", basic("watcher", "watcher-secret"), null, null);
            call("GET", "/actuator/health/readiness", null, null, null);
            call("GET", "/actuator/prometheus", basic("watcher", "watcher-secret"), null, null);
            jolokia(JSON.createObjectNode().put("type", "read").put("mbean", "org.apache.camel:*")
                    .set("config", JSON.createObjectNode().put("ignoreErrors", true).put("serializeException", true)));
            jolokia(JSON.createObjectNode().put("type", "read").put("mbean", "java.lang:type=Runtime")
                    .set("config", JSON.createObjectNode().put("ignoreErrors", true)));
            jolokia(JSON.createObjectNode().put("type", "read").put("mbean", "org.springframework.boot:*")
                    .set("config", JSON.createObjectNode().put("ignoreErrors", true)));
            int operations = execReadOperations();
            System.out.println("Secrets test: backlog tracer " + tracer + "; " + operations + " Camel dump/browse operations read");
            assertThat(operations).as("route dumps, inflight, browse and tracer operations").isGreaterThan(20);
        } finally {
            root.detachAppender(capture);
            EMULATOR.faults().clear();
            if (tracer != null) {
                jolokia(JSON.createObjectNode().put("type", "write").put("mbean", tracer).put("attribute", "Enabled").put("value", false));
            }
        }

        Set<String> tokens = EMULATOR.issuedTokens();
        assertThat(tokens).as("the emulator issued bearer tokens during the test").isNotEmpty();
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("client secret", EMULATOR.settings().clientSecret);
        secrets.put("callback signing secret", CALLBACK_SECRET);
        secrets.put("admin password", ADMIN_PASSWORD);
        secrets.put("viewer password", "watcher-secret");
        secrets.put("API key", API_KEY);
        secrets.put("admin basic credentials", basic(ADMIN, ADMIN_PASSWORD).substring(6));
        int i = 0;
        for (String t : tokens) {
            secrets.put("bearer token " + i++, t);
        }
        Map<String, String> sources = new LinkedHashMap<>(seen);
        sources.put("console output", output.getAll());
        sources.put("log events", String.join("\n", capture.lines));
        assertThat(capture.lines).as("the capture saw the app's logs").anyMatch(l -> l.contains("Provisioning grant"))
                .anyMatch(l -> l.contains("Seismic token obtained"));
        assertThat(String.join("\n", seen.values())).as("Jolokia returned the route dumps and statistics")
                .contains("direct:seismic-api-call").contains("ExchangesCompleted");
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> s : sources.entrySet()) {
            for (Map.Entry<String, String> secret : secrets.entrySet()) {
                int at = s.getValue().indexOf(secret.getValue());
                if (at >= 0) {
                    leaks.add(secret.getKey() + " in " + s.getKey() + ": …" + s.getValue().substring(Math.max(0, at - 200), Math.min(s.getValue().length(), at + 60)));
                }
            }
        }
        System.out.println("Secrets test: " + secrets.size() + " secrets (" + tokens.size() + " bearer tokens) checked against "
                + sources.size() + " sources, " + sources.values().stream().mapToInt(String::length).sum() + " characters");
        assertThat(leaks).isEmpty();
    }

    /** Executes every read-only Camel operation Hawtio offers (dump…, browse…, with no or only boolean arguments). */
    private int execReadOperations() throws Exception {
        JsonNode list = jolokia(JSON.createObjectNode().put("type", "list").put("path", "org.apache.camel"));
        ArrayNode bulk = JSON.createArrayNode();
        for (Iterator<Map.Entry<String, JsonNode>> beans = list.path("value").fields(); beans.hasNext(); ) {
            Map.Entry<String, JsonNode> bean = beans.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = bean.getValue().path("op").fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!op.getKey().startsWith("dump") && !op.getKey().startsWith("browse")) {
                    continue;
                }
                for (JsonNode overload : op.getValue().isArray() ? op.getValue() : JSON.createArrayNode().add(op.getValue())) {
                    List<String> types = new ArrayList<>();
                    overload.path("args").forEach(a -> types.add(a.path("type").asText()));
                    if (types.stream().allMatch(t -> t.equals("boolean") || t.equals("java.lang.Boolean"))) {
                        ObjectNode exec = bulk.addObject().put("type", "exec").put("mbean", "org.apache.camel:" + bean.getKey())
                                .put("operation", op.getKey() + "(" + String.join(",", types) + ")");
                        ArrayNode args = exec.putArray("arguments");
                        types.forEach(t -> args.add(true));
                        exec.set("config", JSON.createObjectNode().put("serializeException", true));
                    }
                }
            }
        }
        jolokia(bulk);
        return bulk.size();
    }
}
