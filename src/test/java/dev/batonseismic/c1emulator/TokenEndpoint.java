package dev.batonseismic.c1emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.batonseismic.c1emulator.AssertionVerifier.Rejection;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code POST /auth/v1/token} on a plaintext loopback port (the TLS front proxies to it): the client-credentials
 * grant with a JWT-bearer client assertion, answered with a bearer token or an OAuth error.
 */
final class TokenEndpoint implements AutoCloseable {
    static final String PATH = "/auth/v1/token";
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    static {
        // the JDK's HttpServer leaves Nagle on, which adds a delayed-ACK wait to every answer
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final ObjectMapper json;
    private final ClientCredentials client;
    private final AssertionVerifier verifier;
    private final IssuedTokens tokens;
    private final C1EmulatorSettings settings;
    private final C1Records records;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, new DaemonThreadFactory("c1-emulator-token"));
    private volatile boolean rejectCredentials;

    TokenEndpoint(ObjectMapper json, ClientCredentials client, IssuedTokens tokens, C1EmulatorSettings settings,
                  C1Records records) throws IOException {
        this.json = json;
        this.client = client;
        this.verifier = new AssertionVerifier(json, client);
        this.tokens = tokens;
        this.settings = settings;
        this.records = records;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void rejectCredentials(boolean reject) {
        this.rejectCredentials = reject;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                send(exchange, 404, Map.of("error", "not_found", "error_description", "no route for " + exchange.getRequestURI().getPath()));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, Map.of("error", "invalid_request", "error_description", "the token endpoint takes POST"));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> form = new HashMap<>();
            Instant now = Instant.now();
            try {
                form = form(exchange.getRequestHeaders().getFirst("Content-Type"), body);
                String token = grant(form, now);
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("access_token", token);
                answer.put("token_type", "Bearer");
                answer.put("expires_in", settings.tokenLifetime.toSeconds());
                records.tokenRequest(new C1Records.TokenRequest(now, form.get("client_id"), 200, null, null));
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                send(exchange, 200, answer);
            } catch (Rejection r) {
                records.tokenRequest(new C1Records.TokenRequest(now, form.get("client_id"), r.status, r.error, r.getMessage()));
                send(exchange, r.status, Map.of("error", r.error, "error_description", r.getMessage()));
            }
        }
    }

    private String grant(Map<String, String> form, Instant now) throws Rejection {
        if (!"client_credentials".equals(form.get("grant_type"))) {
            throw Rejection.invalidRequest("grant_type is " + quoted(form.get("grant_type")) + ", not client_credentials");
        }
        if (!ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
            throw Rejection.invalidRequest("client_assertion_type is " + quoted(form.get("client_assertion_type"))
                    + ", not " + ASSERTION_TYPE);
        }
        String assertion = form.get("client_assertion");
        if (assertion == null || assertion.isEmpty()) {
            throw Rejection.invalidRequest("client_assertion is missing");
        }
        if (!client.clientId().equals(form.get("client_id"))) {
            throw Rejection.invalidClient("unknown client_id " + quoted(form.get("client_id")));
        }
        if (rejectCredentials) {
            throw Rejection.invalidClient("the client's credentials are rejected (emulator setting)");
        }
        verifier.verify(assertion, now);
        return tokens.issue(now, settings.tokenLifetime);
    }

    private static Map<String, String> form(String contentType, byte[] body) throws Rejection {
        if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            throw Rejection.invalidRequest("the body must be application/x-www-form-urlencoded, not " + quoted(contentType));
        }
        Map<String, String> form = new HashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.isEmpty() ? new String[0] : text.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (form.put(key, value) != null) {
                    throw Rejection.invalidRequest("parameter " + key + " is given more than once");
                }
            } catch (IllegalArgumentException e) {
                throw Rejection.invalidRequest("the form is not URL-encoded: " + e.getMessage());
            }
        }
        return form;
    }

    private static String quoted(String s) {
        return s == null ? "missing" : "\"" + s + "\"";
    }

    private void send(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
