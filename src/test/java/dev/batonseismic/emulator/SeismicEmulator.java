package dev.batonseismic.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.batonseismic.emulator.HttpCall.Answer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful stand-in for Seismic on one local port: the token server ({@code /tenants/{tenant}/connect/token}),
 * SCIM ({@code /scim/v2}), reporting ({@code /reporting/v2}), and control endpoints under {@code /_emulator}.
 * It enforces scopes and the rate limit, adds latency, injects faults, and logs every request it served.
 * See docs/emulator.md for the behaviour and where each rule comes from.
 */
public final class SeismicEmulator implements AutoCloseable {
    static final String SCIM_JSON = "application/scim+json; charset=utf-8";
    static final String JSON = "application/json; charset=utf-8";
    static final String VIEW = "seismic.user.view";
    static final String MANAGE = "seismic.user.manage";
    static final String REPORTING = "seismic.reporting";
    private static final Logger log = LoggerFactory.getLogger(SeismicEmulator.class);

    static {
        // The JDK's HttpServer leaves Nagle on: an answer's header and body writes then wait for the client's delayed
        // ACK, ~30-40 ms per call that Seismic would not add (measured: a sequential client's 634 calls took 19.7 s
        // with it, 1.6 s without). Read once, when the first HttpServer is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    final EmulatorSettings settings;
    final TenantStore store;
    final TokenIssuer tokens;
    final RateLimiter rateLimiter;
    final FaultInjector faults = new FaultInjector();
    final RequestLog requests = new RequestLog();
    final RequestHooks hooks = new RequestHooks();
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(8, daemon("seismic-emulator"));
    private final ScheduledExecutorService delayer = Executors.newScheduledThreadPool(2, daemon("seismic-emulator-delay"));
    private final ScimCodec codec;
    private final ScimEndpoints scim;
    private final ReportingEndpoints reporting;
    private final ControlEndpoints control;

    private SeismicEmulator(EmulatorSettings settings, int port) throws IOException {
        this.settings = settings;
        Clock clock = Clock.systemUTC();
        this.store = new TenantStore(clock);
        this.tokens = new TokenIssuer(settings, clock);
        this.rateLimiter = new RateLimiter(settings);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        this.codec = new ScimCodec(json, baseUrl());
        this.scim = new ScimEndpoints(store, codec);
        this.reporting = new ReportingEndpoints(store, json);
        this.control = new ControlEndpoints(this);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        regenerate(settings.users, settings.seed);
    }

    /** Starts an emulator on 127.0.0.1 and the given port (0: a free one), with a tenant generated from the settings. */
    public static SeismicEmulator start(EmulatorSettings settings, int port) {
        try {
            SeismicEmulator e = new SeismicEmulator(settings, port);
            e.server.start();
            return e;
        } catch (IOException ex) {
            throw new IllegalStateException("cannot start the Seismic emulator on port " + port + ": " + ex.getMessage(), ex);
        }
    }

    public static SeismicEmulator start(EmulatorSettings settings) {
        return start(settings, 0);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The API base, what the connector calls {@code BATON_SEISMIC_API_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The token URL, what the connector calls {@code BATON_SEISMIC_AUTH_URL}. */
    public String tokenUrl() {
        return baseUrl() + "/tenants/" + settings.tenant + "/connect/token";
    }

    public EmulatorSettings settings() {
        return settings;
    }

    public FaultInjector faults() {
        return faults;
    }

    public RequestLog requests() {
        return requests;
    }

    /** Tenant changes scheduled for the moment a matching request arrives. */
    public RequestHooks hooks() {
        return hooks;
    }

    public GroundTruth truth() {
        return GroundTruth.of(store);
    }

    /** Replaces the tenant by a freshly generated one; the request log, limiter and tokens are kept. */
    public void regenerate(int users, long seed) {
        settings.users = users;
        settings.seed = seed;
        TenantGenerator.Tenant t = TenantGenerator.generate(users, seed, settings.delegatedUserId, settings.tenant);
        store.replaceAll(t.users(), t.groups(), t.catalog());
        codec.prerender(t.users());
    }

    /** Back to a fresh state: regenerated tenant, empty request log, no faults, full rate budget, no tokens. */
    public void reset() {
        regenerate(settings.users, settings.seed);
        requests.clear();
        faults.clear();
        hooks.clear();
        rateLimiter.reset();
        tokens.revokeAll();
    }

    /** Every bearer token this emulator has issued since it started, revoked and expired ones included. */
    public java.util.Set<String> issuedTokens() {
        return tokens.everIssued();
    }

    /** Empties the rate limiter's window (the next caller gets the full budget); the tenant and the log are kept. */
    public void resetRateLimit() {
        rateLimiter.reset();
    }

    /** Entries of the reporting role catalog, deleted ones included (what the entitlementRoles pages return). */
    public int catalogEntries() {
        return store.catalog().size();
    }

    /** Invalidates every token issued so far: the next API call with one answers 401. */
    public void revokeTokens() {
        tokens.revokeAll();
    }

    /** Test helper: creates a group with the first {@code memberCount} users as members; returns its id. */
    public String createGroup(String displayName, int memberCount) {
        EmulatorGroup g = new EmulatorGroup(TenantStore.newId(), displayName, store.now());
        store.createGroup(g);
        store.listUsers(null, 1, Integer.MAX_VALUE).resources().stream().limit(memberCount)
                .forEach(u -> store.addMember(u.id, g.id));
        if (store.withGroup(g.id, x -> x.memberIds.size()) < memberCount) {
            throw new IllegalArgumentException("the tenant has fewer than " + memberCount + " users");
        }
        return g.id;
    }

    /** Test helper: creates an active Business user with a work email; returns its id. */
    public String createUser(String userName) {
        EmulatorUser u = new EmulatorUser(TenantStore.newId(), store.now());
        u.userName = userName;
        u.givenName = "New";
        u.familyName = "User";
        u.userType = "Business";
        u.roles = java.util.List.of("Business");
        u.emails = java.util.List.of(new EmulatorUser.Email(userName, "work", true));
        store.createUser(u);
        return u.id;
    }

    /** Test helper: deletes a user (and its memberships), as {@code DELETE /scim/v2/Users/{id}} does. */
    public void deleteUser(String id) {
        store.deleteUser(id);
    }

    /** Test helper: deletes a group, as {@code DELETE /scim/v2/Groups/{id}} does. */
    public void deleteGroup(String id) {
        store.deleteGroup(id);
    }

    /** Test helper: removes a member from a group (a no-op if it is none). */
    public void removeMember(String userId, String groupId) {
        store.removeMember(userId, groupId);
    }

    /** Test helper: adds a member to a group (a no-op if it is one). */
    public void addMember(String userId, String groupId) {
        store.addMember(userId, groupId);
    }

    /** Test helper: adds a live role to the reporting catalog; returns its id. */
    public String addCatalogRole(String name) {
        java.time.Instant now = store.now();
        CatalogRole role = new CatalogRole(TenantStore.newId(), name, name + " platform role", now, now, false);
        store.addCatalogRole(role);
        return role.id();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        delayer.shutdownNow();
    }

    // ---- request handling ----

    private void handle(HttpExchange exchange) {
        boolean entered = false;
        try {
            HttpCall call = new HttpCall(exchange);
            if (call.path.startsWith("/_emulator")) {
                send(exchange, control.handle(call), null);
                return;
            }
            requests.enter();
            entered = true;
            hooks.before(call.method, call.path);
            FaultInjector.Rule fault = faults.match(call.method, call.path);
            if (fault != null && fault.kind() == FaultInjector.Kind.EXPIRE_TOKENS) {
                tokens.revokeAll();
            }
            Answer answer = fault == null ? route(call) : switch (fault.kind()) {
                case STATUS -> jsonError(fault.status(), "Injected fault: the service is unavailable.");
                case RATE_LIMIT -> tooManyRequests(fault.retryAfterSeconds(), settings.rateLimit, 0);
                case SHORT_PAGE -> shortPage(route(call));
                case NOT_JSON -> Answer.of(200, "text/html; charset=utf-8",
                        "<html><body><h1>Service temporarily busy</h1></body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                case STATUS_AFTER_APPLY -> {
                    route(call);
                    yield jsonError(fault.status(), "Injected fault: the change was applied, but the answer is an error.");
                }
                default -> route(call);
            };
            requests.record(call.method, call.path, call.rawQuery, answer.status(), fault == null ? null : fault.kind().name());
            long delay = settings.latencyMs + (fault != null && fault.kind() == FaultInjector.Kind.SLOW ? fault.delayMs() : 0);
            entered = false; // from here sendAndLeave takes the request off the in-flight count
            if (delay > 0) {
                delayer.schedule(() -> sendAndLeave(exchange, answer, fault), delay, TimeUnit.MILLISECONDS);
            } else {
                sendAndLeave(exchange, answer, fault);
            }
        } catch (Exception e) {
            log.warn("emulator failed to handle {}: {}", exchange.getRequestURI(), e.toString());
            exchange.close();
        } finally {
            if (entered) {
                requests.leave();
            }
        }
    }

    /** The request leaves the in-flight count before its answer goes out: a client may send its next call at once. */
    private void sendAndLeave(HttpExchange exchange, Answer answer, FaultInjector.Rule fault) {
        requests.leave();
        send(exchange, answer, fault);
    }

    private Answer route(HttpCall call) {
        String[] seg = call.segments();
        if (seg.length == 5 && seg[1].equals("tenants") && seg[3].equals("connect") && seg[4].equals("token")) {
            return token(call, seg[2]);
        }
        boolean isScim = call.path.startsWith("/scim/v2/");
        boolean isReporting = call.path.startsWith("/reporting/v2/");
        if (!isScim && !isReporting) {
            return jsonError(404, "No route matches " + call.method + " " + call.path + ".");
        }
        TokenIssuer.Issued grant = tokens.check(call.header("Authorization"));
        if (grant == null) {
            return jsonError(401, "The access token is missing, invalid or expired.");
        }
        RateLimiter.Decision rate = rateLimiter.acquire(System.nanoTime());
        if (!rate.admitted()) {
            return tooManyRequests(rate.retryAfterSeconds(), rate.remaining(), rate.total());
        }
        Set<String> scopes = tokens.effectiveScopes(grant);
        Answer answer;
        if (isScim) {
            boolean write = !call.method.equals("GET");
            boolean allowed = write ? scopes.contains(MANAGE) : scopes.contains(VIEW) || scopes.contains(MANAGE);
            answer = allowed ? scimAnswer(call) : jsonError(403, "The token lacks scope "
                    + (write ? MANAGE : VIEW + " or " + MANAGE) + " for " + call.method + " " + RequestLog.template(call.path) + ".");
        } else {
            answer = scopes.contains(REPORTING) ? reportingAnswer(call)
                    : jsonError(403, "The token lacks scope " + REPORTING + ".");
        }
        if (rate.enabled()) {
            answer.headers().put("X-Seismic-Remaining-Calls", String.valueOf(rate.remaining()));
            answer.headers().put("X-Seismic-Total-Calls", String.valueOf(rate.total()));
        }
        return answer;
    }

    private Answer scimAnswer(HttpCall call) {
        try {
            return scim.handle(call);
        } catch (ScimError e) {
            return Answer.of(e.status, SCIM_JSON, bytes(codec.error(e)));
        }
    }

    private Answer reportingAnswer(HttpCall call) {
        try {
            return reporting.handle(call);
        } catch (ScimError e) {
            return jsonError(e.status, e.getMessage());
        }
    }

    private Answer token(HttpCall call, String tenant) {
        if (!call.method.equals("POST")) {
            return jsonError(405, "The token endpoint takes POST.");
        }
        String type = call.header("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            return oauthError(new TokenIssuer.OAuthError(400, "invalid_request",
                    "the body must be application/x-www-form-urlencoded"));
        }
        try {
            Map<String, Object> body = tokens.issue(tenant, HttpCall.decodeForm(new String(call.body,
                    java.nio.charset.StandardCharsets.UTF_8)), call.header("Authorization"));
            Answer a = Answer.of(200, JSON, bytes(body));
            a.headers().put("Cache-Control", "no-store");
            return a;
        } catch (TokenIssuer.OAuthErrorException e) {
            return oauthError(e.error);
        }
    }

    private Answer oauthError(TokenIssuer.OAuthError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.description());
        return Answer.of(e.status(), JSON, bytes(body));
    }

    /** A SCIM ListResponse with its middle record removed, the counts left as they were. */
    private Answer shortPage(Answer full) {
        try {
            JsonNode page = json.readTree(full.body());
            if (full.status() != 200 || !page.path("Resources").isArray() || page.path("Resources").isEmpty()) {
                return full;
            }
            com.fasterxml.jackson.databind.node.ArrayNode resources = (com.fasterxml.jackson.databind.node.ArrayNode) page.get("Resources");
            resources.remove(resources.size() / 2);
            return new Answer(full.status(), full.contentType(), bytes(page), full.headers());
        } catch (IOException e) {
            return full;
        }
    }

    /** Seismic's documented 429: JSON body with "Try again in N seconds." and no Retry-After unless switched on. */
    private Answer tooManyRequests(long retryAfterSeconds, int remaining, int total) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", 429);
        body.put("message", "Rate limit is exceeded. Try again in " + retryAfterSeconds + " seconds.");
        body.put("clientId", settings.clientId);
        body.put("tenant", settings.tenant);
        Answer a = Answer.of(429, JSON, bytes(body));
        a.headers().put("X-Seismic-Remaining-Calls", String.valueOf(remaining));
        a.headers().put("X-Seismic-Total-Calls", String.valueOf(total));
        if (settings.retryAfterHeader) {
            a.headers().put("Retry-After", String.valueOf(retryAfterSeconds));
        }
        return a;
    }

    /** Seismic's generic JSON error body (gateway-level errors: 401, 403, 404, 405, 5xx). */
    Answer jsonError(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status);
        body.put("message", message);
        return Answer.of(status, JSON, bytes(body));
    }

    byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode readJson(byte[] body) throws IOException {
        return json.readTree(body);
    }

    private static void send(HttpExchange exchange, Answer answer, FaultInjector.Rule fault) {
        try {
            if (fault != null && fault.kind() == FaultInjector.Kind.RESET) {
                exchange.close(); // no headers sent: the server drops the connection
                return;
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            if (answer.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            }
            byte[] body = answer.body();
            boolean truncate = fault != null && fault.kind() == FaultInjector.Kind.TRUNCATE;
            if (body.length == 0) {
                exchange.sendResponseHeaders(answer.status(), -1);
            } else if (truncate) {
                // a well-formed chunked response that carries only the first half of the body: cut JSON
                exchange.getResponseHeaders().set("Connection", "close");
                exchange.sendResponseHeaders(answer.status(), 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body, 0, body.length / 2);
                }
            } else {
                exchange.sendResponseHeaders(answer.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // a truncated body or a client that went away; nothing more to send
        } finally {
            exchange.close();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
