package dev.batonseismic.seismic;

import org.springframework.beans.factory.annotation.Autowired;
import dev.batonseismic.config.SeismicProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.config.ConnectorSettings;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The token processor: puts {@code Authorization: Bearer …} on the exchange, using a delegation token
 * ({@code grant_type=delegation}, {@code user_id} = the delegated user) cached until shortly before its
 * {@code expires_in}. The token request is made here rather than in a route so the client secret never sits in
 * an exchange (where tracing or Hawtio could show it). A 401 from the API invalidates the cached token once.
 */
@Component("seismicToken")
public class SeismicToken implements Processor {
    private static final Logger log = LoggerFactory.getLogger(SeismicToken.class);
    private static final Map<String, String> ADVICE = Map.of(
            "invalid_client", "check BATON_SEISMIC_CLIENT_ID and BATON_SEISMIC_CLIENT_SECRET (new credentials take 5-10 minutes to activate)",
            "invalid_grant", "check BATON_SEISMIC_DELEGATION_USER_ID: it must be the delegated user the tenant admin selected for the app",
            "invalid_scope", "the app registration lacks a requested scope; check the scopes of the app in Seismic",
            "unsupported_grant_type", "the app registration must use Client Credentials (user delegation)");

    /** Scopes the connector can do without: a sync without seismic.reporting falls back to SCIM role names. */
    static final Set<String> OPTIONAL_SCOPES = Set.of("seismic.reporting");

    /** A token and when it stops being used. */
    public record Cached(String value, Instant renewAt, Set<String> scopes) {}

    private final ConnectorSettings settings;
    private final DelegationUser delegationUser;
    private final Duration margin;
    private final Duration requestTimeout;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private volatile Cached cached;
    private volatile int requests;

    @Autowired
    public SeismicToken(ConnectorSettings settings, DelegationUser delegationUser, SeismicProperties seismic) {
        this(settings, delegationUser, seismic.tokenRefreshMargin(), seismic.http().connectTimeoutMs(), seismic.http().responseTimeoutMs());
    }

    public SeismicToken(ConnectorSettings settings, DelegationUser delegationUser, Duration margin, long connectTimeoutMs,
                        long responseTimeoutMs) {
        this.settings = settings;
        this.delegationUser = delegationUser;
        this.margin = margin;
        this.requestTimeout = Duration.ofMillis(responseTimeoutMs);
        this.clock = Clock.systemUTC();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(connectTimeoutMs)).build();
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setHeader("Authorization", "Bearer " + current().value());
    }

    /** The cached token, fetched first when there is none or it is about to expire. */
    public Cached current() {
        Cached c = cached;
        if (c != null && clock.instant().isBefore(c.renewAt())) {
            return c;
        }
        synchronized (this) {
            c = cached;
            if (c == null || !clock.instant().isBefore(c.renewAt())) {
                c = fetch();
                cached = c;
            }
            return c;
        }
    }

    /** Whether a cached token is there and not yet due for renewal (no call to Seismic). */
    public boolean hasUsableToken() {
        Cached c = cached;
        return c != null && clock.instant().isBefore(c.renewAt());
    }

    /** Drops the cached token if it is the one that was just refused (a 401), so the next call fetches a new one. */
    public synchronized void invalidate(String refusedAuthorization) {
        Cached c = cached;
        if (c != null && refusedAuthorization != null && refusedAuthorization.endsWith(c.value())) {
            cached = null;
        }
    }

    /** Scopes of the current token, as Seismic reported them. */
    public Set<String> scopes() {
        return current().scopes();
    }

    /** Token requests made since start. */
    public int requestCount() {
        return requests;
    }

    private Cached fetch() {
        try {
            return fetch(settings.scopes());
        } catch (SeismicAuthException e) {
            List<String> required = settings.scopes().stream().filter(s -> !OPTIONAL_SCOPES.contains(s)).toList();
            if (!e.getMessage().contains("invalid_scope") || required.size() == settings.scopes().size()) {
                throw e;
            }
            log.warn("Seismic refused the scopes {} (invalid_scope); asking again without {}: role catalog from SCIM role names only",
                    settings.scopes(), OPTIONAL_SCOPES);
            return fetch(required);
        }
    }

    private Cached fetch(List<String> scopes) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "delegation");
        form.put("client_id", settings.clientId());
        form.put("client_secret", settings.clientSecret());
        String user = delegationUser.id();
        if (user == null) {
            throw new SeismicAuthException("no delegated user yet: set BATON_SEISMIC_DELEGATION_USER_ID, or let Seismic post it to "
                    + "/api/v1/seismic/delegation-callback when the tenant admin selects the delegated user");
        }
        form.put("user_id", user);
        if (!scopes.isEmpty()) {
            form.put("scope", String.join(" ", scopes));
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(settings.authUrl())
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            requests++;
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SeismicApiException(0, "Seismic's token server " + settings.authUrl() + " could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeismicApiException(0, "interrupted while requesting a Seismic token");
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() == 200 && answer.hasNonNull("access_token")) {
            long expiresIn = answer.path("expires_in").asLong(3600);
            Duration usable = Duration.ofSeconds(expiresIn).minus(margin);
            if (usable.isNegative() || usable.isZero()) {
                usable = Duration.ofSeconds(Math.max(1, expiresIn / 2));
            }
            Set<String> granted = answer.hasNonNull("scope")
                    ? Set.of(answer.get("scope").asText().trim().split("\\s+")) : Set.copyOf(scopes);
            log.info("Seismic token obtained for tenant {} (expires in {} s, scopes {})", settings.tenant(), expiresIn, granted);
            return new Cached(answer.get("access_token").asText(), clock.instant().plus(usable), granted);
        }
        String error = answer.path("error").asText("");
        if (response.statusCode() >= 500 || (response.statusCode() != 400 && response.statusCode() != 401 && error.isEmpty())) {
            throw new SeismicApiException(response.statusCode(), "Seismic's token server answered HTTP " + response.statusCode());
        }
        String description = answer.path("error_description").asText("");
        throw new SeismicAuthException("Seismic refused the token request: " + (error.isEmpty() ? "HTTP " + response.statusCode() : error)
                + (description.isEmpty() ? "" : " (" + description + ")")
                + "; " + ADVICE.getOrDefault(error, "check the Seismic app registration") + ".");
    }

    private JsonNode parse(String body) {
        try {
            JsonNode n = json.readTree(body == null ? "" : body);
            return n == null ? json.createObjectNode() : n;
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }
}
