package dev.batonseismic.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.ConnectorTestSupport;
import dev.batonseismic.Messaging;
import dev.batonseismic.c1.C1Properties;
import dev.batonseismic.c1.C1Settings;
import dev.batonseismic.config.InvalidSettingException;
import dev.batonseismic.config.SettingsConfiguration;
import dev.batonseismic.config.ValidSettings;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.web.RestErrors;
import jakarta.jms.BytesMessage;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.mock.env.MockEnvironment;

/**
 * Bad input, counted: malformed provisioning requests over REST, Kafka and JMS (one table for the three doors), the
 * rest of the REST API (paths, methods, content types, sizes, ids, credentials), Seismic's delegation callback, and
 * configuration values. Each gets a clear error (status and message checked); no route or consumer stops (a good
 * request is served on each door afterwards); nothing is lost (every malformed Kafka and JMS message is in its
 * dead-letter destination, with its reason). Prints how many inputs each channel tried.
 */
class BadInputTest extends ConnectorTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Integer> TRIED = new LinkedHashMap<>();
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String UNKNOWN = "00000000-0000-4000-8000-00000000dead";

    @Autowired
    JmsTemplate jms;

    @Autowired
    CamelContext camel;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    String uid;
    String gid;
    String roleId;

    /** One malformed provisioning request: its body (given the request id to use), the answer's HTTP status and message. */
    record Bad(String name, Function<String, String> body, int status, String message) {
        /** Malformed (400, 413) and unknown ids (404) are dead-lettered on Kafka and JMS; refusals (422) only answered. */
        boolean deadLetter() {
            return status != 422;
        }
    }

    @BeforeEach
    void tenant() {
        EMULATOR.regenerate(200, 61);
        EMULATOR.faults().clear();
        GroundTruth t = EMULATOR.truth();
        outer:
        for (Map.Entry<String, List<String>> g : t.memberships().entrySet()) {
            for (String u : t.users().keySet()) {
                if (!g.getValue().contains(u)) {
                    uid = u;
                    gid = g.getKey();
                    break outer;
                }
            }
        }
        roleId = t.roleNames().keySet().iterator().next();
        jms.setReceiveTimeout(2_000);
    }

    @AfterAll
    static void report() {
        int total = TRIED.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("Bad input suite: " + total + " malformed inputs tried: " + TRIED);
        if (TRIED.size() == 6) {
            assertThat(total).as("at least 200 malformed inputs").isGreaterThanOrEqualTo(200);
        }
    }

    static synchronized void count(String channel, int n) {
        TRIED.merge(channel, n, Integer::sum);
    }

    private static String obj(String requestId, String... kv) {
        ObjectNode n = JSON.createObjectNode();
        if (requestId != null) {
            n.put("requestId", requestId);
        }
        for (int i = 0; i < kv.length; i += 2) {
            n.put(kv[i], kv[i + 1]);
        }
        return n.toString();
    }

    /** The provisioning table, the same for REST, Kafka and JMS. */
    List<Bad> provisioningTable() {
        List<Bad> t = new ArrayList<>();
        // not a JSON object
        t.add(new Bad("empty body", id -> "", 400, "the request body is empty"));
        t.add(new Bad("blank body", id -> "  \n ", 400, "the request body is empty"));
        t.add(new Bad("open brace", id -> "{", 400, "not valid JSON"));
        t.add(new Bad("close brace", id -> "}", 400, "not valid JSON"));
        t.add(new Bad("broken", id -> "{{{ broken", 400, "not valid JSON"));
        t.add(new Bad("plain text", id -> "grant me access please", 400, "not valid JSON"));
        t.add(new Bad("xml", id -> "<request><requestId>" + id + "</requestId></request>", 400, "not valid JSON"));
        t.add(new Bad("empty array", id -> "[]", 400, "must be a JSON object"));
        t.add(new Bad("array of requests", id -> "[" + obj(id, "operation", "grant") + "]", 400, "must be a JSON object"));
        t.add(new Bad("json string", id -> "\"grant\"", 400, "must be a JSON object"));
        t.add(new Bad("json number", id -> "42", 400, "must be a JSON object"));
        t.add(new Bad("json true", id -> "true", 400, "must be a JSON object"));
        t.add(new Bad("json null", id -> "null", 400, "must be a JSON object, not null"));
        t.add(new Bad("trailing text", id -> obj(id, "operation", "grant") + " and more", 400, "not valid JSON"));
        t.add(new Bad("two objects", id -> obj(id, "operation", "grant") + obj(id, "operation", "revoke"), 400, "more after the JSON object"));
        t.add(new Bad("trailing comma", id -> "{\"requestId\": \"" + id + "\",}", 400, "not valid JSON"));
        t.add(new Bad("single quotes", id -> "{'requestId': '" + id + "'}", 400, "not valid JSON"));
        t.add(new Bad("unterminated", id -> "{\"requestId\": \"" + id + "\", \"operation\": \"gra", 400, "not valid JSON"));
        t.add(new Bad("control characters", id -> "\u0000\u0001\u0002", 400, "not valid JSON"));
        t.add(new Bad("NaN", id -> "{\"requestId\": NaN}", 400, "not valid JSON"));
        t.add(new Bad("comment", id -> "/* hi */ " + obj(id, "operation", "grant"), 400, "not valid JSON"));
        // wrong field types
        t.add(new Bad("requestId object", id -> "{\"requestId\": {\"id\": \"" + id + "\"}}", 400, "field requestId must be a string"));
        t.add(new Bad("requestId array", id -> "{\"requestId\": [\"" + id + "\"]}", 400, "field requestId must be a string"));
        t.add(new Bad("operation object", id -> "{\"requestId\": \"" + id + "\", \"operation\": {\"op\": \"grant\"}}", 400, "field operation must be a string"));
        t.add(new Bad("entitlementId array", id -> "{\"requestId\": \"" + id + "\", \"operation\": \"grant\", \"entitlementId\": [\"group:x:member\"]}", 400, "field entitlementId must be a string"));
        t.add(new Bad("principalId object", id -> "{\"requestId\": \"" + id + "\", \"operation\": \"grant\", \"principalId\": {\"user\": \"x\"}}", 400, "field principalId must be a string"));
        // requestId
        t.add(new Bad("no fields", id -> "{}", 400, "requestId is required"));
        t.add(new Bad("no requestId", id -> obj(null, "operation", "grant"), 400, "requestId is required"));
        t.add(new Bad("empty requestId", id -> obj("", "operation", "grant"), 400, "requestId is required"));
        t.add(new Bad("blank requestId", id -> obj("   ", "operation", "grant"), 400, "requestId is required"));
        t.add(new Bad("null requestId", id -> "{\"requestId\": null, \"operation\": \"grant\"}", 400, "requestId is required"));
        t.add(new Bad("requestId too long", id -> obj(id + "x".repeat(300), "operation", "grant"), 400, "at most 200 are accepted"));
        // operation
        t.add(new Bad("no operation", id -> obj(id), 400, "operation is required"));
        t.add(new Bad("empty operation", id -> obj(id, "operation", ""), 400, "operation is required"));
        t.add(new Bad("upper-case operation", id -> obj(id, "operation", "GRANT"), 400, "unknown operation 'GRANT'"));
        t.add(new Bad("other operation", id -> obj(id, "operation", "delete"), 400, "unknown operation 'delete'"));
        t.add(new Bad("operation with space", id -> obj(id, "operation", "grant "), 400, "unknown operation 'grant '"));
        t.add(new Bad("script operation", id -> obj(id, "operation", "<script>alert(1)</script>"), 400, "unknown operation '<script>"));
        t.add(new Bad("very long operation", id -> obj(id, "operation", "g".repeat(5000)), 400, "(5000 characters)"));
        // grant
        t.add(new Bad("grant without entitlement", id -> obj(id, "operation", "grant", "principalId", "user:" + uid), 400, "entitlementId is required"));
        t.add(new Bad("grant without principal", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid + ":member"), 400, "principalId is required"));
        t.add(new Bad("entitlement one part", id -> obj(id, "operation", "grant", "entitlementId", "group", "principalId", "user:" + uid), 400, "is not a baton id"));
        t.add(new Bad("entitlement trailing colon", id -> obj(id, "operation", "grant", "entitlementId", "group:", "principalId", "user:" + uid), 400, "is not a baton id"));
        t.add(new Bad("entitlement leading colon", id -> obj(id, "operation", "grant", "entitlementId", ":member", "principalId", "user:" + uid), 400, "is not a baton id"));
        t.add(new Bad("entitlement two parts", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid, "principalId", "user:" + uid), 400, "is not a baton id like group:<id>:member"));
        t.add(new Bad("entitlement empty group id", id -> obj(id, "operation", "grant", "entitlementId", "group::member", "principalId", "user:" + uid), 400, "group id '' is malformed"));
        t.add(new Bad("entitlement unknown type", id -> obj(id, "operation", "grant", "entitlementId", "team:" + gid + ":member", "principalId", "user:" + uid), 400, "unknown entitlement"));
        t.add(new Bad("entitlement unknown slug", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid + ":owner", "principalId", "user:" + uid), 400, "unknown entitlement"));
        t.add(new Bad("group id with spaces", id -> obj(id, "operation", "grant", "entitlementId", "group:a b:member", "principalId", "user:" + uid), 400, "group id 'a b' is malformed"));
        t.add(new Bad("group id path traversal", id -> obj(id, "operation", "grant", "entitlementId", "group:../../etc:member", "principalId", "user:" + uid), 400, "is malformed"));
        t.add(new Bad("group id query", id -> obj(id, "operation", "grant", "entitlementId", "group:x?admin=1:member", "principalId", "user:" + uid), 400, "is malformed"));
        t.add(new Bad("principal without type", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid + ":member", "principalId", uid), 400, "is not a baton id like user:<id>"));
        t.add(new Bad("principal is a group", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid + ":member", "principalId", "group:" + gid), 400, "principalId must be a user"));
        t.add(new Bad("principal empty id", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid + ":member", "principalId", "user:"), 400, "is not a baton id"));
        t.add(new Bad("principal id with spaces", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid + ":member", "principalId", "user:a b"), 400, "user id 'a b' is malformed"));
        t.add(new Bad("principal id too long", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid + ":member", "principalId", "user:" + "a".repeat(200)), 400, "is malformed"));
        t.add(new Bad("principal id with slash", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid + ":member", "principalId", "user:a/../b"), 400, "is malformed"));
        t.add(new Bad("principal id unicode", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid + ":member", "principalId", "user:ünïcödé"), 400, "is malformed"));
        // unknown ids: Seismic answers 404
        t.add(new Bad("unknown group", id -> obj(id, "operation", "grant", "entitlementId", "group:" + UNKNOWN + ":member", "principalId", "user:" + uid), 404, "group " + UNKNOWN + " does not exist"));
        t.add(new Bad("unknown user in group grant", id -> obj(id, "operation", "grant", "entitlementId", "group:" + gid + ":member", "principalId", "user:" + UNKNOWN), 404, "user " + UNKNOWN + " does not exist"));
        t.add(new Bad("unknown role", id -> obj(id, "operation", "grant", "entitlementId", "role:" + UNKNOWN + ":assigned", "principalId", "user:" + uid), 404, "is not in Seismic's role catalog"));
        t.add(new Bad("unknown user in role grant", id -> obj(id, "operation", "grant", "entitlementId", "role:" + roleId + ":assigned", "principalId", "user:" + UNKNOWN), 404, "does not exist in Seismic"));
        t.add(new Bad("unknown user in revoke", id -> obj(id, "operation", "revoke", "grantId", "group:" + gid + ":member:user:" + UNKNOWN), 404, "does not exist in Seismic"));
        // revoke
        t.add(new Bad("revoke without grantId", id -> obj(id, "operation", "revoke"), 400, "grantId is required"));
        t.add(new Bad("grantId without user", id -> obj(id, "operation", "revoke", "grantId", "group:" + gid + ":member"), 400, "is not a baton grant id"));
        t.add(new Bad("grantId empty user", id -> obj(id, "operation", "revoke", "grantId", "group:" + gid + ":member:user:"), 400, "user id '' is malformed"));
        t.add(new Bad("grantId without entitlement", id -> obj(id, "operation", "revoke", "grantId", ":user:" + uid), 400, "is not a baton id"));
        t.add(new Bad("grantId unknown type", id -> obj(id, "operation", "revoke", "grantId", "team:x:member:user:" + uid), 400, "unknown entitlement"));
        // createAccount
        t.add(new Bad("account without login", id -> obj(id, "operation", "createAccount", "email", "a@b.example.com"), 400, "login is required"));
        t.add(new Bad("account without email", id -> obj(id, "operation", "createAccount", "login", "a@b.example.com"), 400, "email is required"));
        t.add(new Bad("account blank login", id -> obj(id, "operation", "createAccount", "login", "  ", "email", "a@b.example.com"), 400, "login is required"));
        t.add(new Bad("account email without @", id -> obj(id, "operation", "createAccount", "login", "x", "email", "not-an-email"), 400, "is not an email address"));
        // deleteResource
        t.add(new Bad("delete without resourceId", id -> obj(id, "operation", "deleteResource"), 400, "resourceId is required"));
        t.add(new Bad("delete bare id", id -> obj(id, "operation", "deleteResource", "resourceId", uid), 400, "is not a baton id like user:<id>"));
        t.add(new Bad("delete malformed user id", id -> obj(id, "operation", "deleteResource", "resourceId", "user:a b"), 400, "is malformed"));
        // size
        t.add(new Bad("oversized request", id -> obj(id, "operation", "grant", "padding", "x".repeat(70_000)), 413, "at most 65536 are accepted"));
        // refusals: answered, not dead-lettered
        t.add(new Bad("delete a group", id -> obj(id, "operation", "deleteResource", "resourceId", "group:" + gid), 422, "only user resources can be deleted"));
        t.add(new Bad("grant a license", id -> obj(id, "operation", "grant", "entitlementId", "license:Premium:assigned", "principalId", "user:" + uid), 422, "licenses are read-only"));
        return t;
    }

    // ---- REST ----

    private HttpResponse<String> send(String method, String path, String contentType, String body, String authorization) throws Exception {
        return send(method, path, contentType, body, authorization, Map.of());
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body, String authorization,
                                      Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static final String ADMIN_AUTH = basic(ADMIN, ADMIN_PASSWORD);

    @Test
    void malformedProvisioningRequestsOverRest() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        List<Bad> table = provisioningTable();
        for (int i = 0; i < table.size(); i++) {
            Bad c = table.get(i);
            HttpResponse<String> r = send("POST", "/api/v1/provisioning", "application/json", c.body().apply("bad-rest-" + RUN + "-" + i), ADMIN_AUTH);
            soft.assertThat(r.statusCode()).as(c.name() + ": " + r.body()).isEqualTo(c.status());
            JsonNode answer = JSON.readTree(r.body());
            soft.assertThat(answer.path("status").asText()).as(c.name()).isEqualTo(c.status() == 422 ? "REFUSED" : "FAILED");
            soft.assertThat(answer.path("message").asText()).as(c.name()).contains(c.message());
            assertApiRefusal(soft, c.name(), r, true);
        }
        soft.assertAll();
        count("rest-provisioning", table.size());
    }

    /** A call to the REST API that must be refused: method, path, content type, body, credentials, status, text in the answer. */
    record Call(String name, String method, String path, String contentType, String body, String auth, int status, String text,
                Map<String, String> headers) {
        Call(String name, String method, String path, String contentType, String body, String auth, int status, String text) {
            this(name, method, path, contentType, body, auth, status, text, Map.of());
        }
    }

    /** A run of one character longer than a quoted value may be: the long values below are such runs. */
    static final Pattern LONG_ECHO = Pattern.compile("(.)\\1{" + RestErrors.MAX_QUOTED + ",}");

    /**
     * A refusal under /api is in the API's own shape: application/json, {@code {"error": "…"}} and nothing else (the
     * provisioning door answers its result, {@code {"requestId"?, "status", "message"}}), quoting no caller value at
     * more than {@link RestErrors#MAX_QUOTED} characters.
     */
    static void assertApiRefusal(SoftAssertions soft, String name, HttpResponse<String> r, boolean provisioningResult) {
        soft.assertThat(r.headers().firstValue("Content-Type").orElse("")).as(name + ": content type").startsWith("application/json");
        soft.assertThat(LONG_ECHO.matcher(r.body()).find()).as(name + ": a caller's value quoted at length: " + abbreviate(r.body())).isFalse();
        JsonNode doc;
        try {
            doc = JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            soft.fail(name + ": not JSON: " + abbreviate(r.body()));
            return;
        }
        List<String> fields = new ArrayList<>();
        doc.fieldNames().forEachRemaining(fields::add);
        if (provisioningResult && doc.has("status")) {
            soft.assertThat(fields).as(name + ": " + abbreviate(r.body())).containsAnyOf("status").isSubsetOf("requestId", "status", "message");
            soft.assertThat(doc.path("status").asText()).as(name).isIn("FAILED", "REFUSED");
            soft.assertThat(doc.path("message").isTextual()).as(name + ": a message").isTrue();
        } else {
            soft.assertThat(fields).as(name + ": " + abbreviate(r.body())).containsExactly("error");
            soft.assertThat(doc.path("error").isTextual()).as(name + ": the error is a sentence").isTrue();
        }
    }

    @Test
    void malformedCallsToTheRestApi() throws Exception {
        String json = "application/json";
        String viewer = basic("watcher", "watcher-secret");
        String good = "{\"requestId\": \"ct-" + RUN + "\", \"operation\": \"grant\", \"entitlementId\": \"group:" + gid
                + ":member\", \"principalId\": \"user:" + uid + "\"}";
        List<Call> calls = List.of(
                // unknown paths
                new Call("unknown path", "GET", "/api/v1/nope", null, null, ADMIN_AUTH, 404, "Not Found"),
                new Call("unknown version", "GET", "/api/v2/syncs", null, null, ADMIN_AUTH, 404, "Not Found"),
                new Call("path below a sync", "GET", "/api/v1/syncs/abc/def", null, null, ADMIN_AUTH, 404, "Not Found"),
                new Call("path below provisioning", "POST", "/api/v1/provisioning/grant", json, good, ADMIN_AUTH, 404, "Not Found"),
                new Call("unknown root", "GET", "/admin", null, null, ADMIN_AUTH, 404, "Not Found"),
                // methods
                new Call("DELETE syncs", "DELETE", "/api/v1/syncs", null, null, ADMIN_AUTH, 405, "Method Not Allowed"),
                new Call("PUT syncs", "PUT", "/api/v1/syncs", json, "{}", ADMIN_AUTH, 405, "Method Not Allowed"),
                new Call("PATCH a sync", "PATCH", "/api/v1/syncs/abc", json, "{}", ADMIN_AUTH, 405, "Method Not Allowed"),
                new Call("DELETE a sync", "DELETE", "/api/v1/syncs/abc", null, null, ADMIN_AUTH, 405, "Method Not Allowed"),
                new Call("GET provisioning", "GET", "/api/v1/provisioning", null, null, ADMIN_AUTH, 405, "Method Not Allowed"),
                new Call("PUT provisioning", "PUT", "/api/v1/provisioning", json, good, ADMIN_AUTH, 405, "Method Not Allowed"),
                new Call("DELETE provisioning", "DELETE", "/api/v1/provisioning", null, null, ADMIN_AUTH, 405, "Method Not Allowed"),
                new Call("GET callback", "GET", "/api/v1/seismic/delegation-callback", null, null, ADMIN_AUTH, 405, "Method Not Allowed"),
                new Call("GET replay", "GET", "/api/v1/provisioning/dead-letters/replay", null, null, ADMIN_AUTH, 405, "Method Not Allowed"),
                // content types
                new Call("text/plain", "POST", "/api/v1/provisioning", "text/plain", good, ADMIN_AUTH, 415, "Unsupported Media Type"),
                new Call("form-urlencoded", "POST", "/api/v1/provisioning", "application/x-www-form-urlencoded", "requestId=x&operation=grant", ADMIN_AUTH, 415, "Unsupported Media Type"),
                new Call("xml", "POST", "/api/v1/provisioning", "application/xml", "<requestId>x</requestId>", ADMIN_AUTH, 415, "Unsupported Media Type"),
                new Call("multipart", "POST", "/api/v1/provisioning", "multipart/form-data; boundary=x", "--x--", ADMIN_AUTH, 415, "Unsupported Media Type"),
                new Call("no content type", "POST", "/api/v1/provisioning", null, good, ADMIN_AUTH, 415, "Unsupported Media Type"),
                new Call("octet-stream", "POST", "/api/v1/provisioning", "application/octet-stream", good, ADMIN_AUTH, 415, "Unsupported Media Type"),
                // sizes
                new Call("5 MB request", "POST", "/api/v1/provisioning", json, "{\"requestId\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}", ADMIN_AUTH, 413, "at most 65536"),
                new Call("1 MB callback", "POST", "/api/v1/seismic/delegation-callback", json, "{\"pad\": \"" + "x".repeat(1024 * 1024) + "\"}", null, 401, "x-seismic-signature"),
                // sync ids
                new Call("unknown sync id", "GET", "/api/v1/syncs/no-such-sync", null, null, ADMIN_AUTH, 404, "no sync with id no-such-sync"),
                new Call("sync id with quotes", "GET", "/api/v1/syncs/a%22b%7D", null, null, ADMIN_AUTH, 404, "no sync with id a%22b%7D"),
                new Call("sync id with comma and parentheses", "GET", "/api/v1/syncs/a,b)(c", null, null, ADMIN_AUTH, 404, "no sync with id a,b)(c"),
                new Call("sync id script", "GET", "/api/v1/syncs/%3Cscript%3E", null, null, ADMIN_AUTH, 404, "no sync with id %3Cscript%3E"),
                new Call("very long sync id", "GET", "/api/v1/syncs/" + "k".repeat(3000), null, null, ADMIN_AUTH, 404, "no sync with id kkk"),
                new Call("sync id unicode", "GET", "/api/v1/syncs/%C3%BC%C3%B1", null, null, ADMIN_AUTH, 404, "no sync with id %C3%BC%C3%B1"),
                new Call("sync id encoded slash", "GET", "/api/v1/syncs/a%2Fb", null, null, ADMIN_AUTH, 400, "Bad Request"),
                new Call("sync id dot-dot", "GET", "/api/v1/syncs/%2E%2E", null, null, ADMIN_AUTH, 400, "Bad Request"),
                new Call("sync id semicolon", "GET", "/api/v1/syncs/a;jsessionid=1", null, null, ADMIN_AUTH, 400, "Bad Request"),
                new Call("sync id percent", "GET", "/api/v1/syncs/%25", null, null, ADMIN_AUTH, 400, "Bad Request"),
                new Call("sync id backslash", "GET", "/api/v1/syncs/a%5Cb", null, null, ADMIN_AUTH, 400, "Bad Request"),
                // credentials and roles
                new Call("no credentials", "POST", "/api/v1/provisioning", json, good, null, 401, ""),
                new Call("wrong password", "POST", "/api/v1/provisioning", json, good, basic(ADMIN, "wrong"), 401, ""),
                new Call("unknown user", "GET", "/api/v1/syncs", null, null, basic("mallory", "x"), 401, ""),
                new Call("malformed basic", "GET", "/api/v1/syncs", null, null, "Basic !!!not-base64", 401, ""),
                new Call("unknown API key", "GET", "/api/v1/syncs", null, null, "Bearer not-a-key", 401, "unknown API key"),
                new Call("empty API key", "GET", "/api/v1/syncs", null, null, "Bearer ", 401, "Unauthorized"),
                new Call("viewer writes", "POST", "/api/v1/provisioning", json, good, viewer, 403, "Forbidden"),
                new Call("viewer starts a sync", "POST", "/api/v1/syncs", null, null, viewer, 403, "Forbidden"),
                new Call("viewer replays dead letters", "POST", "/api/v1/provisioning/dead-letters/replay", null, null, viewer, 403, "Forbidden"),
                new Call("viewer reads metrics", "GET", "/actuator/jolokia/exec/java.lang:type=Memory/gc", null, null, viewer, 403, ""),
                // dead-letter replay parameters
                new Call("replay channel", "POST", "/api/v1/provisioning/dead-letters/replay?channel=smtp", null, null, ADMIN_AUTH, 400, "channel must be jms or kafka"),
                new Call("replay limit text", "POST", "/api/v1/provisioning/dead-letters/replay?limit=all", null, null, ADMIN_AUTH, 400, "limit must be a whole number"),
                new Call("replay limit zero", "POST", "/api/v1/provisioning/dead-letters/replay?limit=0", null, null, ADMIN_AUTH, 400, "limit must be a whole number"),
                // long values: quoted back cut short, if at all
                new Call("very long unknown path", "GET", "/api/v1/" + "p".repeat(5000), null, null, ADMIN_AUTH, 404, "Not Found"),
                new Call("very long unknown field", "POST", "/api/v1/syncs", json, "{\"" + "u".repeat(5000) + "\": true}", ADMIN_AUTH, 400, "unknown field 'uuu"),
                new Call("very long force", "POST", "/api/v1/syncs?force=" + "f".repeat(5000), null, null, ADMIN_AUTH, 400, "force must be true or false"),
                new Call("very long replay channel", "POST", "/api/v1/provisioning/dead-letters/replay?channel=" + "c".repeat(5000), null, null, ADMIN_AUTH, 400, "channel must be jms or kafka"),
                new Call("very long content type", "POST", "/api/v1/provisioning", "text/" + "t".repeat(5000), good, ADMIN_AUTH, 415, "Unsupported Media Type"),
                new Call("very long API key", "GET", "/api/v1/syncs", null, null, "Bearer " + "b".repeat(5000), 401, "unknown API key"),
                // refused by Tomcat before any filter, and asked for as a web page: still the API's JSON
                new Call("headers over the limit", "GET", "/api/v1/syncs", null, null, ADMIN_AUTH, 400, "Bad Request", Map.of("X-Pad", "h".repeat(9000))),
                new Call("a browser's unknown path", "GET", "/api/v1/nope", null, null, ADMIN_AUTH, 404, "Not Found", Map.of("Accept", "text/html")),
                new Call("a browser's wrong method", "DELETE", "/api/v1/syncs", null, null, ADMIN_AUTH, 405, "Method Not Allowed", Map.of("Accept", "text/html")));
        SoftAssertions soft = new SoftAssertions();
        for (Call c : calls) {
            HttpResponse<String> r = send(c.method(), c.path(), c.contentType(), c.body(), c.auth(), c.headers());
            soft.assertThat(r.statusCode()).as(c.name() + ": " + abbreviate(r.body())).isEqualTo(c.status());
            soft.assertThat(r.body()).as(c.name()).contains(c.text()).doesNotContain("\tat ").doesNotContain("Exception");
            if (c.path().startsWith("/api/")) {
                assertApiRefusal(soft, c.name(), r, c.path().equals("/api/v1/provisioning") && c.status() == 413);
            }
        }
        soft.assertAll();
        count("rest-api", calls.size());
        assertThat(EMULATOR.truth().memberships().get(gid)).as("no refused call changed Seismic").doesNotContain(uid);
    }

    static String abbreviate(String s) {
        return s == null || s.length() < 300 ? s : s.substring(0, 300) + "…";
    }

    // ---- Kafka and JMS ----

    @Test
    void malformedKafkaMessagesAreAnsweredAndDeadLetteredAndTheConsumerGoesOn() throws Exception {
        Messaging kafka = Messaging.of(camel);
        List<Bad> table = provisioningTable();
        Map<String, Bad> sent = new LinkedHashMap<>();
        for (int i = 0; i < table.size(); i++) {
            String id = "bad-kafka-" + RUN + "-" + i;
            kafka.send(id, table.get(i).body().apply(id));
            sent.put(id, table.get(i));
        }
        // Kafka only: a tombstone (null value) and bytes that are not UTF-8
        String tombstone = "bad-kafka-" + RUN + "-tombstone";
        kafka.send(new ProducerRecord<>(Messaging.REQUESTS, tombstone, null));
        sent.put(tombstone, new Bad("tombstone", id -> null, 400, "the request body is empty"));
        String binary = "bad-kafka-" + RUN + "-binary";
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.brokers);
        try (KafkaProducer<String, byte[]> bytes = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            bytes.send(new ProducerRecord<>(Messaging.REQUESTS, binary, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0x00, 0x7B})).get();
        }
        sent.put(binary, new Bad("not UTF-8", id -> null, 400, "not valid JSON"));
        // a good request after all of them is still served
        ObjectNode good = JSON.createObjectNode().put("requestId", "good-kafka-" + RUN).put("operation", "grant")
                .put("entitlementId", "group:" + gid + ":member").put("principalId", "user:" + uid);
        kafka.send(uid, good.toString());
        assertThat(kafka.awaitResult("good-kafka-" + RUN, 1).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.truth().memberships().get(gid)).containsOnlyOnce(uid);

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            kafka.poll();
            return sent.keySet().stream().allMatch(id -> !kafka.results(id).isEmpty());
        });
        long deadExpected = sent.values().stream().filter(Bad::deadLetter).count();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            kafka.poll();
            return kafka.deadLetterRecords().stream().filter(r -> r.key() != null && r.key().startsWith("bad-kafka-" + RUN)).count() >= deadExpected;
        });
        Map<String, ConsumerRecord<String, String>> dead = new HashMap<>();
        kafka.deadLetterRecords().stream().filter(r -> r.key() != null && r.key().startsWith("bad-kafka-" + RUN)).forEach(r -> dead.put(r.key(), r));
        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, Bad> e : sent.entrySet()) {
            Bad c = e.getValue();
            JsonNode result = kafka.results(e.getKey()).get(0);
            soft.assertThat(kafka.results(e.getKey())).as(c.name() + ": one result").hasSize(1);
            soft.assertThat(result.path("status").asText()).as(c.name()).isEqualTo(c.status() == 422 ? "REFUSED" : "FAILED");
            soft.assertThat(result.path("message").asText()).as(c.name()).contains(c.message());
            ConsumerRecord<String, String> d = dead.get(e.getKey());
            if (c.deadLetter()) {
                soft.assertThat(d).as(c.name() + " dead-lettered").isNotNull();
                if (d != null) {
                    soft.assertThat(new String(d.headers().lastHeader("deadLetterReason").value(), StandardCharsets.UTF_8)).as(c.name()).contains(c.message());
                    String original = c.body().apply(e.getKey());
                    if (original != null) {
                        soft.assertThat(d.value()).as(c.name() + ": the original message").isEqualTo(original);
                    }
                }
            } else {
                soft.assertThat(d).as(c.name() + " is a refusal, not a dead letter").isNull();
            }
        }
        soft.assertAll();
        assertThat(dead).hasSize((int) deadExpected);
        count("kafka", sent.size());
    }

    @Test
    void malformedJmsMessagesAreAnsweredAndDeadLetteredAndTheConsumerGoesOn() throws Exception {
        List<Bad> table = provisioningTable();
        Map<String, Bad> sent = new LinkedHashMap<>();
        String prefix = "bad-jms-" + RUN + "-";
        for (int i = 0; i < table.size(); i++) {
            String id = prefix + i;
            String body = table.get(i).body().apply(id);
            jms.send(Messaging.REQUESTS, s -> tagged(s.createTextMessage(body), id));
            sent.put(id, table.get(i));
        }
        // JMS only: a text message without text, bytes that are not JSON, a map message
        jms.send(Messaging.REQUESTS, s -> tagged(s.createTextMessage(), prefix + "no-text"));
        sent.put(prefix + "no-text", new Bad("text message without text", id -> null, 400, "the request body is empty"));
        jms.send(Messaging.REQUESTS, s -> {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0x00});
            return tagged(m, prefix + "bytes");
        });
        sent.put(prefix + "bytes", new Bad("bytes", id -> null, 400, "not valid JSON"));
        jms.send(Messaging.REQUESTS, s -> {
            MapMessage m = s.createMapMessage();
            m.setString("requestId", "map");
            return tagged(m, prefix + "map");
        });
        sent.put(prefix + "map", new Bad("map message", id -> null, 400, "not valid JSON"));

        ObjectNode good = JSON.createObjectNode().put("requestId", "good-jms-" + RUN).put("operation", "grant")
                .put("entitlementId", "group:" + gid + ":member").put("principalId", "user:" + uid);
        jms.setReceiveTimeout(30_000);
        Message reply = jms.sendAndReceive(Messaging.REQUESTS, s -> s.createTextMessage(good.toString()));
        assertThat(reply).as("a good request is still served").isNotNull();
        assertThat(JSON.readTree(((TextMessage) reply).getText()).get("status").asText()).isIn("SUCCEEDED", "ALREADY_EXISTS");
        assertThat(EMULATOR.truth().memberships().get(gid)).containsOnlyOnce(uid);

        Map<String, JsonNode> results = new HashMap<>();
        Map<String, Message> dead = new HashMap<>();
        long deadExpected = sent.values().stream().filter(Bad::deadLetter).count();
        String selector = "inputId LIKE '" + prefix + "%'";
        jms.setReceiveTimeout(200);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            for (Message m = jms.receiveSelected(Messaging.RESULTS, selector); m != null; m = jms.receiveSelected(Messaging.RESULTS, selector)) {
                results.put(m.getStringProperty("inputId"), JSON.readTree(((TextMessage) m).getText()));
            }
            for (Message m = jms.receiveSelected(Messaging.DLQ, selector); m != null; m = jms.receiveSelected(Messaging.DLQ, selector)) {
                dead.put(m.getStringProperty("inputId"), m);
            }
            return results.size() == sent.size() && dead.size() >= deadExpected;
        });
        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, Bad> e : sent.entrySet()) {
            Bad c = e.getValue();
            JsonNode result = results.get(e.getKey());
            soft.assertThat(result.path("status").asText()).as(c.name()).isEqualTo(c.status() == 422 ? "REFUSED" : "FAILED");
            soft.assertThat(result.path("message").asText()).as(c.name()).contains(c.message());
            Message d = dead.get(e.getKey());
            if (c.deadLetter()) {
                soft.assertThat(d).as(c.name() + " dead-lettered").isNotNull();
                if (d != null) {
                    soft.assertThat(d.getStringProperty("deadLetterReason")).as(c.name()).contains(c.message());
                    String original = c.body().apply(e.getKey());
                    if (original != null && !original.isEmpty()) {
                        soft.assertThat(((TextMessage) d).getText()).as(c.name() + ": the original message").isEqualTo(original);
                    }
                }
            } else {
                soft.assertThat(d).as(c.name() + " is a refusal, not a dead letter").isNull();
            }
        }
        soft.assertAll();
        assertThat(dead).hasSize((int) deadExpected);
        count("jms", sent.size());
    }

    private static Message tagged(Message m, String id) throws jakarta.jms.JMSException {
        m.setStringProperty("inputId", id);
        m.setJMSCorrelationID(id);
        return m;
    }

    // ---- Seismic's delegation callback ----

    static String sign(String body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    record Callback(String name, String body, String signature, int status, String text) {}

    @Test
    void malformedDelegationCallbacksAreRefusedAndChangeNothing() throws Exception {
        Path stored = Path.of("target/test-data/delegation-user-id");
        String before = Files.exists(stored) ? Files.readString(stored) : null;
        String valid = "{\"delegationUserId\":\"11111111-2222-4333-8444-555555555555\",\"tenant\":\"demo\"}";
        String secret = CALLBACK_SECRET;
        List<Callback> calls = new ArrayList<>(List.of(
                new Callback("unsigned", valid, null, 401, "x-seismic-signature does not match"),
                new Callback("empty signature", valid, "", 401, "does not match"),
                new Callback("signature not hex", valid, "zz-not-hex", 401, "does not match"),
                new Callback("odd-length hex", valid, "abc", 401, "does not match"),
                new Callback("wrong secret", valid, sign(valid, "another-secret"), 401, "does not match"),
                new Callback("signature of another body", valid, sign(valid.replace("demo", "evil"), secret), 401, "does not match"),
                new Callback("truncated signature", valid, sign(valid, secret).substring(0, 32), 401, "does not match"),
                new Callback("signature with prefix", valid, "sha256=" + sign(valid, secret), 401, "does not match"),
                new Callback("base64 signature", valid, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sign(valid, secret))), 401, "does not match"),
                new Callback("empty body unsigned", "", null, 401, "does not match"),
                new Callback("empty body signed", "", sign("", secret), 401, "does not match")));
        for (String[] b : new String[][] {
                {"signed broken JSON", "{{{"},
                {"signed no id", "{\"tenant\":\"demo\"}"},
                {"signed email as id", "{\"delegationUserId\":\"jane@acme.com\"}"},
                {"signed number id", "{\"delegationUserId\":12345}"},
                {"signed null id", "{\"delegationUserId\":null}"},
                {"signed array id", "{\"delegationUserId\":[\"11111111-2222-4333-8444-555555555555\"]}"},
                {"signed object id", "{\"delegationUserId\":{\"id\":\"11111111-2222-4333-8444-555555555555\"}}"},
                {"signed JSON array", "[\"11111111-2222-4333-8444-555555555555\"]"},
                {"signed id with spaces", "{\"delegationUserId\":\" 11111111-2222-4333-8444-555555555555 \"}"},
                {"signed short GUID", "{\"delegationUserId\":\"11111111-2222-4333-8444\"}"},
                {"signed GUID with path", "{\"delegationUserId\":\"../11111111-2222-4333-8444-555555555555\"}"},
                {"signed huge body", "{\"delegationUserId\":\"" + "9".repeat(200_000) + "\"}"}}) {
            calls.add(new Callback(b[0], b[1], sign(b[1], secret), 400, "needs a delegationUserId"));
        }
        SoftAssertions soft = new SoftAssertions();
        for (Callback c : calls) {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/seismic/delegation-callback"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(c.body()));
            if (c.signature() != null) {
                req.header("x-seismic-signature", c.signature());
            }
            HttpResponse<String> r;
            try {
                r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                soft.fail(c.name() + ": no answer: " + e);
                continue;
            }
            soft.assertThat(r.statusCode()).as(c.name() + ": " + abbreviate(r.body())).isEqualTo(c.status());
            soft.assertThat(r.body()).as(c.name()).contains(c.text());
            assertApiRefusal(soft, c.name(), r, false);
        }
        soft.assertAll();
        assertThat(Files.exists(stored) ? Files.readString(stored) : null).as("the stored delegated user is unchanged").isEqualTo(before);
        count("callback", calls.size());
    }

    // ---- configuration values (the validation in-process; StartupValidationTest covers the start-up path) ----

    record Setting(String property, String value, String env) {}

    static final List<String> SINK_TYPES = ValidSettings.SINK_TYPES;

    static MockEnvironment validEnvironment() {
        return ValidSettings.environment();
    }

    @Test
    void malformedConfigurationValuesAreNamedOneSentenceEach() {
        SettingsConfiguration.check(validEnvironment(), SINK_TYPES);
        assertThat(new SettingsConfiguration().connectorSettings(validEnvironment()).tenant()).isEqualTo("acme");
        List<Setting> settings = new ArrayList<>();
        for (String v : List.of("", "  ")) {
            settings.add(new Setting("seismic.client-id", v, "BATON_SEISMIC_CLIENT_ID is not set"));
            settings.add(new Setting("seismic.client-secret", v, "BATON_SEISMIC_CLIENT_SECRET is not set"));
            settings.add(new Setting("seismic.tenant", v, "BATON_SEISMIC_TENANT is not set"));
        }
        settings.add(new Setting("seismic.client-id", "client 1", "BATON_SEISMIC_CLIENT_ID is malformed"));
        settings.add(new Setting("seismic.client-id", "client\t1", "BATON_SEISMIC_CLIENT_ID is malformed"));
        for (String v : List.of("acme.seismic.com", "https://acme.seismic.com", "-acme", "acme-", "ac me", "acme_corp", "a".repeat(64), "acme/..", "äcme")) {
            settings.add(new Setting("seismic.tenant", v, "BATON_SEISMIC_TENANT is malformed"));
        }
        for (String v : List.of("jane@acme.com", "1234", "11111111-2222-4333-8444", "11111111222243338444555555555555", "zzzzzzzz-2222-4333-8444-555555555555")) {
            settings.add(new Setting("seismic.delegation-user-id", v, "BATON_SEISMIC_DELEGATION_USER_ID is malformed"));
        }
        for (String v : List.of("api.seismic.com", "ftp://api.seismic.com", "https://", "http//x", "https://exa mple.com", "/relative", "")) {
            settings.add(new Setting("seismic.api-url", v, "BATON_SEISMIC_API_URL is malformed"));
        }
        for (String v : List.of("auth.seismic.com/token", "file:///etc/passwd", "mailto:a@b.c")) {
            settings.add(new Setting("seismic.auth-url", v, "BATON_SEISMIC_AUTH_URL is malformed"));
        }
        for (String v : List.of("yes", "no", "1", "0", "on", "TRUE1", "enabled")) {
            settings.add(new Setting("provisioning.enabled", v, "BATON_PROVISIONING is malformed"));
        }
        for (String v : List.of("s3", "c2", "kafka", "FILE2")) {
            settings.add(new Setting("sink.type", v, "SINK_TYPE '" + v.toLowerCase() + "' is not available"));
        }
        for (String v : List.of("zookeeper", "k8s", "lease")) {
            settings.add(new Setting("connector.cluster.type", v, "CONNECTOR_CLUSTER_TYPE is malformed: expected file or kubernetes"));
        }
        settings.add(new Setting("connector.cluster.type", "kubernetes", "POD_NAME is not set"));
        settings.add(new Setting("connector.security.users[0].name", "", "CONNECTOR_SECURITY_USERS_0_NAME is not set"));
        settings.add(new Setting("connector.routes-dir-resolved", null, "CONNECTOR_ROUTES_DIR does not name a directory"));
        for (String v : List.of("0", "101", "-5", "abc", "10.5", "99999999999")) {
            settings.add(new Setting("sync.page-size", v, "SYNC_PAGE_SIZE (sync.page-size) is malformed: expected a whole number from 1 to 100"));
        }
        for (String v : List.of("0", "many")) {
            settings.add(new Setting("sync.concurrency", v, "SYNC_CONCURRENCY (sync.concurrency) is malformed"));
            settings.add(new Setting("seismic.retry.max-attempts", v, "SEISMIC_RETRY_MAX_ATTEMPTS (seismic.retry.max-attempts) is malformed"));
            settings.add(new Setting("provisioning.redelivery.max-deliveries", v, "PROVISIONING_REDELIVERY_MAX_DELIVERIES"));
            settings.add(new Setting("provisioning.jms.concurrent-consumers", v, "PROVISIONING_JMS_CONCURRENT_CONSUMERS"));
        }
        settings.add(new Setting("seismic.rate-limit.calls", "-1", "SEISMIC_RATE_LIMIT_CALLS (seismic.rate-limit.calls) is malformed"));
        settings.add(new Setting("seismic.http.response-timeout-ms", "0", "SEISMIC_HTTP_RESPONSE_TIMEOUT_MS"));
        settings.add(new Setting("provisioning.max-request-bytes", "10", "PROVISIONING_MAX_REQUEST_BYTES"));
        for (String v : List.of("soon", "-1s", "10 seconds", "1x")) {
            settings.add(new Setting("seismic.retry.initial-backoff", v, "SEISMIC_RETRY_INITIAL_BACKOFF (seismic.retry.initial-backoff) is malformed: expected a duration"));
        }
        settings.add(new Setting("seismic.rate-limit.window", "0s", "SEISMIC_RATE_LIMIT_WINDOW (seismic.rate-limit.window) is malformed: expected a duration such as 500ms, 30s or 2m, above zero"));
        settings.add(new Setting("provisioning.redelivery.max-delay", "forever", "PROVISIONING_REDELIVERY_MAX_DELAY"));
        settings.add(new Setting("seismic.health.retry-after", "0", "SEISMIC_HEALTH_RETRY_AFTER"));
        for (String v : List.of("remove", "DELETE", "soft")) {
            settings.add(new Setting("provisioning.delete-mode", v, "PROVISIONING_DELETE_MODE (provisioning.delete-mode) is malformed: expected delete or deactivate"));
        }
        for (String v : List.of("every 6 hours", "0+0+25+*+*+?", "*+*+*", "0+0+0/6+*+*+*")) {
            settings.add(new Setting("sync.cron", v, "SYNC_CRON (sync.cron) is malformed: expected a Quartz cron"));
        }
        settings.add(new Setting("sink.type", "c1", "SINK_TYPE=c1 (ConductorOne service mode) needs BATON_CLIENT_ID"));
        settings.add(new Setting("c1.client-secret", C1_SECRET, "BATON_CLIENT_SECRET is set but BATON_CLIENT_ID is not"));
        SoftAssertions soft = new SoftAssertions();
        serviceModeSettings(soft);
        refusedOneSentenceEach(soft, settings, validEnvironment(), "s3cr3t-never-print-me");
        soft.assertAll();
    }

    /** Each setting, alone on top of {@code valid}, is refused with one sentence naming it that never holds {@code secret}. */
    private static void refusedOneSentenceEach(SoftAssertions soft, List<Setting> settings, MockEnvironment valid, String secret) {
        for (Setting s : settings) {
            MockEnvironment env = withoutProperty(valid, s.property());
            if (s.value() != null) {
                env.setProperty(s.property(), s.value());
            }
            try {
                SettingsConfiguration.check(env, SINK_TYPES);
                soft.fail(s.property() + "=" + s.value() + " was accepted");
            } catch (InvalidSettingException e) {
                soft.assertThat(e.problems()).as(s.property() + "=" + s.value()).hasSize(1);
                soft.assertThat(e.problems().get(0)).as(s.property() + "=" + s.value()).contains(s.env()).endsWith(".")
                        .doesNotContain(secret).doesNotContain("s3cr3t-never-print-me");
            }
        }
        count("config", settings.size());
    }

    /** A well-formed ConductorOne client secret (an Ed25519 key made here) and client id. */
    static final String C1_SECRET = c1Secret();
    static final String C1_ID = "happy-otter-123@acme.conductor.one/pcc";

    private static String c1Secret() {
        try {
            java.security.KeyPair k = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] d = java.util.Arrays.copyOfRange(k.getPrivate().getEncoded(), k.getPrivate().getEncoded().length - 32, k.getPrivate().getEncoded().length);
            java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
            return "secret-token:conductorone.com:v1:" + b64.encodeToString(("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\""
                    + b64.encodeToString(d) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * ConductorOne service mode's settings: each malformed value beside otherwise valid C1 credentials is one sentence
     * naming its variable (and the part that is wrong), never the secret.
     */
    private void serviceModeSettings(SoftAssertions soft) {
        MockEnvironment ok = validEnvironment().withProperty("c1.client-id", C1_ID).withProperty("c1.client-secret", C1_SECRET);
        SettingsConfiguration.check(ok, SINK_TYPES);
        C1Settings c1Ok = new SettingsConfiguration().c1Settings(new C1Properties(C1_ID, C1_SECRET, null, null, 3, Duration.ofSeconds(30),
                Duration.ofMinutes(5), 6, 1000, null), ok);
        assertThat(c1Ok.enabled()).isTrue();
        assertThat(c1Ok.taskConcurrency()).isEqualTo(3);
        String key = C1_SECRET.substring(C1_SECRET.lastIndexOf(':') + 1);
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        List<Setting> c1 = new ArrayList<>();
        for (String v : List.of("otter.acme.conductor.one/pcc", "otter@acme.conductor.one", "@acme.conductor.one/pcc", "otter@/pcc",
                "otter@acme conductor.one/pcc", "otter@acme.conductor.one:99999/pcc")) {
            c1.add(new Setting("c1.client-id", v, "BATON_CLIENT_ID is malformed"));
        }
        for (String v : List.of("secret-token:conductorone.com:" + key, "secret-token:conductorone.com:v2:" + key,
                "secret-token:conductorone.com:v1:%%" + key, "secret-token:conductorone.com:v1:" + b64.encodeToString("[1,2]".getBytes()),
                "secret-token:conductorone.com:v1:" + b64.encodeToString("{\"kty\":\"RSA\",\"n\":\"x\"}".getBytes()),
                "secret-token:conductorone.com:v1:" + b64.encodeToString("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}".getBytes()),
                "secret-token:conductorone.com:v1:" + b64.encodeToString("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"AAAA\"}".getBytes()))) {
            c1.add(new Setting("c1.client-secret", v, "BATON_CLIENT_SECRET is malformed"));
        }
        c1.add(new Setting("c1.client-secret", " ", "BATON_CLIENT_SECRET is not set"));
        for (String v : List.of("https://acme.conductor.one", "acme.conductor.one:0", "acme conductor", "acme.conductor.one/api")) {
            c1.add(new Setting("c1.api-host", v, "BATON_C1_API_HOST is malformed"));
        }
        c1.add(new Setting("c1.host-id", "h".repeat(257), "BATON_HOST_ID is malformed"));
        for (String v : List.of("0", "65", "many")) {
            c1.add(new Setting("c1.task-concurrency", v, "C1_TASK_CONCURRENCY (c1.task-concurrency) is malformed"));
        }
        for (String v : List.of("soon", "0s", "-1s")) {
            c1.add(new Setting("c1.call-timeout", v, "C1_CALL_TIMEOUT (c1.call-timeout) is malformed"));
            c1.add(new Setting("c1.max-backoff", v, "C1_MAX_BACKOFF (c1.max-backoff) is malformed"));
        }
        for (String v : List.of("-1", "101", "some")) {
            c1.add(new Setting("c1.finish-retries", v, "C1_FINISH_RETRIES (c1.finish-retries) is malformed"));
        }
        for (String v : List.of("file", "c1z")) {
            c1.add(new Setting("sink.type", v, "SINK_TYPE=" + v + " and BATON_CLIENT_ID are both set"));
        }
        refusedOneSentenceEach(soft, c1, ok, key);
    }

    /** A copy of {@code env} without {@code property}. */
    private static MockEnvironment withoutProperty(MockEnvironment env, String property) {
        MockEnvironment copy = new MockEnvironment();
        env.getPropertySources().forEach(ps -> {
            if (ps instanceof org.springframework.core.env.MapPropertySource m) {
                m.getSource().forEach((k, v) -> {
                    if (!k.equals(property)) {
                        copy.setProperty(k, String.valueOf(v));
                    }
                });
            }
        });
        return copy;
    }
}
