package dev.batonseismic.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** A plain HTTP client for tests that talk to the emulator over real HTTP. */
public final class EmulatorHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public EmulatorHttp(String baseUrl) {
        this.base = baseUrl;
    }

    /** A response with its body parsed as JSON when it is JSON. */
    public record Reply(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Reply tokenRequest(String tenant, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + "/tenants/" + tenant + "/connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A token for the emulator's default app registration, with the given scopes (null: the app's scopes). */
    public String token(EmulatorSettings s, String scope) {
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("grant_type", "delegation", "client_id", s.clientId,
                "client_secret", s.clientSecret, "user_id", s.delegatedUserId));
        if (scope != null) {
            form.put("scope", scope);
        }
        Reply r = tokenRequest(s.tenant, form);
        if (r.status() != 200) {
            throw new IllegalStateException("token request failed: " + r.status() + " " + r.body());
        }
        return r.json().get("access_token").asText();
    }

    public Reply get(String path, String token) {
        return call("GET", path, token, null, null);
    }

    public Reply call(String method, String path, String token, String jsonBody, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            b.header("Content-Type", "application/scim+json");
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return send(b);
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
