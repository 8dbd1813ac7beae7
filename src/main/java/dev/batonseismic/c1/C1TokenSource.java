package dev.batonseismic.c1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ConductorOne access tokens: a client assertion signed with the client secret's key is exchanged at
 * {@code https://<host>/auth/v1/token} ({@code grant_type=client_credentials}, jwt-bearer assertion); the token is kept
 * until shortly before {@code expires_in} runs out, and dropped when a call answers UNAUTHENTICATED. One request at a
 * time: concurrent callers wait for it. Neither the assertion nor the token is ever logged.
 */
public class C1TokenSource {
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Logger log = LoggerFactory.getLogger(C1TokenSource.class);
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    private static final int MAX_ERROR_TEXT = 200;

    private final C1Credentials credentials;
    private final URI tokenUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json;
    private final Clock clock;
    private String authorization;
    private Instant renewAt = Instant.MIN;

    public C1TokenSource(C1Credentials credentials, HostAndPort host, Duration timeout, ObjectMapper json, Clock clock) {
        this.credentials = credentials;
        this.tokenUrl = URI.create("https://" + host + "/auth/v1/token");
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .sslContext(C1Tls.sslContext(C1Tls.trust()))
                .sslParameters(C1Tls.parameters())
                .connectTimeout(timeout)
                .build();
    }

    public URI tokenUrl() {
        return tokenUrl;
    }

    /** The {@code authorization} value for a call: {@code <token_type> <access_token>}, fetched when none is kept. */
    public synchronized String authorization() {
        if (authorization == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return authorization;
    }

    /** A call answered UNAUTHENTICATED with this value: the next call gets a new token. */
    public synchronized void invalidate(String rejected) {
        if (rejected != null && rejected.equals(authorization)) {
            authorization = null;
        }
    }

    private void fetch() {
        Instant now = clock.instant();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", credentials.clientId());
        form.put("grant_type", "client_credentials");
        form.put("client_assertion_type", ASSERTION_TYPE);
        form.put("client_assertion", credentials.assertion(now));
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"))))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new C1Exception("ConductorOne's token endpoint " + tokenUrl + " cannot be reached: " + describe(e), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new C1Exception("interrupted while asking ConductorOne for a token", false, e);
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status != 200 || body == null || !body.path("access_token").isTextual() || body.path("access_token").asText().isEmpty()) {
            boolean rejected = status == 400 || status == 401 || status == 403;
            String error = body == null ? "" : (body.path("error").asText("") + " " + body.path("error_description").asText("")).trim();
            throw new C1Exception((rejected ? "ConductorOne rejected the client credentials (BATON_CLIENT_ID, BATON_CLIENT_SECRET): "
                    : "ConductorOne's token endpoint failed: ") + "HTTP " + status
                    + (error.isEmpty() ? "" : " " + shorten(error)), rejected, null);
        }
        String type = body.path("token_type").asText("");
        type = type.isEmpty() || type.equalsIgnoreCase("bearer") ? "Bearer" : type;
        long expiresIn = body.path("expires_in").asLong(0);
        Duration lifetime = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_LIFETIME;
        // renewed before it runs out: a minute early, or halfway for short-lived tokens
        Duration early = lifetime.dividedBy(2).compareTo(Duration.ofMinutes(1)) < 0 ? lifetime.dividedBy(2) : Duration.ofMinutes(1);
        authorization = type + " " + body.get("access_token").asText();
        renewAt = now.plus(lifetime).minus(early);
        log.info("ConductorOne token obtained for client {} (valid {} s)", credentials.clientName(), lifetime.toSeconds());
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String shorten(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > MAX_ERROR_TEXT ? clean.substring(0, MAX_ERROR_TEXT) + "…" : clean;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + shorten(m);
    }
}
