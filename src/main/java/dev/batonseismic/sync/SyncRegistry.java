package dev.batonseismic.sync;

import dev.batonseismic.config.InvalidSettingException;
import dev.batonseismic.config.SyncProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.c1.C1Settings;
import dev.batonseismic.resources.ResourceUnits;
import dev.batonseismic.seismic.SeismicResponse;
import dev.batonseismic.seismic.SeismicCallListener;
import dev.batonseismic.sink.SyncSink;
import dev.batonseismic.web.RestErrors;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The {@code syncs} bean (routes: {@code ref: syncs}): starts one at a time (a second request gets the running one), keeps recent ones for the REST API,
 * logs progress every few pages and a one-line summary at the end, and publishes or discards the sink's output. When
 * the application closes, a running sync stops at its next page and publishes nothing.
 */
@Component("syncs")
public class SyncRegistry {
    public static final String RUN = "syncRun";
    /** The exchange property holding the resource a targeted sync reads ({@code sync-run}: {@code keep-target}). */
    public static final String TARGET = "syncTarget";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(SyncRegistry.class);

    private final List<SyncSink> sinks;
    private final Environment env;
    private final ResourceUnits units;
    private final int historySize;
    private final int progressEvery;
    private final Deque<SyncRun> history = new ArrayDeque<>();
    private final MeterRegistry meters;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final Map<String, AtomicLong> lastCounts = new LinkedHashMap<>();
    private SyncRun running;
    private volatile boolean stopping;

    private final ProducerTemplate template;
    private final SyncGuard guard;
    private final boolean serviceMode;
    /** What a sync the connector starts covers unless its request says (sync.resource-types, skip-grants …). */
    private final SyncScope defaultScope;
    /** BATON_SKIP_FULL_SYNC: provisioning only; ConductorOne's sync tasks get a skipped sync, and nothing else starts one. */
    private final boolean skipFullSync;

    public SyncRegistry(List<SyncSink> sinks, Environment env, ResourceUnits units, MeterRegistry meters, ProducerTemplate template,
                        SyncGuard guard, C1Settings c1, SyncProperties settings) {
        int historySize = settings.history();
        int progressEvery = settings.progressEveryPages();
        this.template = template;
        this.guard = guard;
        this.serviceMode = c1.enabled();
        this.sinks = sinks;
        this.env = env;
        this.units = units;
        this.meters = meters;
        this.historySize = historySize;
        this.progressEvery = Math.max(1, progressEvery);
        this.skipFullSync = Boolean.TRUE.equals(settings.skipFullSync());
        List<String> problems = new ArrayList<>();
        SyncScope byType = SyncScope.full(units.types());
        try {
            byType = SyncScope.of(settings.resourceTypes() == null ? List.of() : settings.resourceTypes(),
                    Boolean.TRUE.equals(settings.skipGrants()), Boolean.TRUE.equals(settings.skipEntitlementsAndGrants()), units.types());
        } catch (IllegalArgumentException e) {
            problems.add("BATON_SYNC_RESOURCE_TYPES is malformed: " + e.getMessage() + ".");
        }
        List<SyncScope.Target> targets = List.of();
        try {
            targets = units.targets(settings.resources() == null ? List.of() : settings.resources());
        } catch (IllegalArgumentException e) {
            problems.add("BATON_SYNC_RESOURCES is malformed: " + e.getMessage() + ".");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingException(problems);
        }
        this.defaultScope = byType.targeting(targets);
        Gauge.builder("seismic.sync.last.success", lastSuccess, AtomicLong::get).baseUnit("timestamp_seconds")
                .description("When the last sync succeeded (epoch seconds; 0 before the first)").register(meters);
        for (String type : units.counted()) {
            AtomicLong n = new AtomicLong();
            lastCounts.put(type, n);
            Gauge.builder("seismic.sync.records", n, AtomicLong::get).tag("type", type)
                    .description("Records of each type in the last successful sync").register(meters);
        }
    }

    /**
     * Starts a sync unless one is running, and answers {@code {"id","state"}} with a {@code Location} header. The run
     * goes to {@code direct:sync-run} on a fresh exchange of its own, so it shares nothing with the requester's
     * exchange (a REST request's headers, say).
     */
    public synchronized Map<String, Object> request(Exchange ex) {
        SyncRequest asked = parse(ex, defaultScope, units);
        boolean force = asked.force();
        if (serviceMode) {
            throw new SyncRequestException(409, "in ConductorOne service mode (BATON_CLIENT_ID is set) ConductorOne starts "
                    + "the syncs and receives their results; start one from ConductorOne, or see GET /api/v1/c1");
        }
        if (skipFullSync) {
            throw new SyncRequestException(409, "syncs are off: BATON_SKIP_FULL_SYNC is set, so this connector only provisions; "
                    + "unset it to sync");
        }
        boolean started = running == null;
        if (started) {
            Instant now = Instant.now();
            String origin = ex.getFromRouteId() == null ? "api" : ex.getFromRouteId(); // rest-syncs-start, trigger-schedule-cron, …
            add(new SyncRun(Ksuid.next(now), now, asked.scope(), origin, null, units.counted()));
        }
        if (force) {
            running.force(); // a sync already running is forced too: the guard looks at its end
        }
        if (started) {
            SyncRun run = running;
            template.asyncSend("direct:sync-run", e -> start(e, run)).thenAccept(done -> {
                if (done.getException() != null) {
                    fail(run, done.getException());
                }
            });
        }
        ex.getMessage().setHeader("Location", "/api/v1/syncs/" + running.id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", running.id());
        body.put("state", running.state().name());
        body.put("forced", running.forced());
        return body;
    }

    /**
     * Registers a sync of {@code scope} for {@code origin} that writes to {@code sink}; {@link #run} carries it out. A
     * sync already running is a {@link SyncRequestException}: one sync at a time.
     */
    public synchronized SyncRun begin(SyncScope scope, String origin, SyncSink sink) {
        if (running != null) {
            throw new SyncRequestException(409, "sync " + running.id() + " (" + running.origin() + ") is running; one sync runs at a time");
        }
        Instant now = Instant.now();
        SyncRun run = new SyncRun(Ksuid.next(now), now, scope, origin, sink, units.counted());
        add(run);
        return run;
    }

    /**
     * Carries out a sync registered by {@link #begin} on {@code direct:sync-run}, on an exchange of its own, and waits
     * for its end: its failure is handled there (the run says FAILED and why), not passed to the caller's route.
     */
    public void run(@ExchangeProperty(RUN) SyncRun run) {
        Exchange done = template.send("direct:sync-run", e -> start(e, run));
        if (done.getException() != null) {
            fail(run, done.getException()); // it never got as far as its own error handling (sync-run stopped, say)
        }
    }

    private static void start(Exchange e, SyncRun run) {
        e.setProperty(RUN, run);
        e.setProperty(SeismicCallListener.PROPERTY, run);
    }

    private void add(SyncRun run) {
        running = run;
        history.addFirst(run);
        while (history.size() > historySize) {
            history.removeLast();
        }
    }

    /** What a sync request asks: to publish past the safety guard, and what to sync. */
    record SyncRequest(boolean force, SyncScope scope) {}

    /** Whether BATON_SKIP_FULL_SYNC is set: ConductorOne's sync tasks get a skipped sync ({@link SyncScope#skip}). */
    public boolean skipFullSync() {
        return skipFullSync;
    }

    /** The body fields of {@code POST /api/v1/syncs}, baton's names for a partial sync beside force. */
    static final List<String> FIELDS = List.of("force", "resourceTypes", "resources", "skipGrants", "skipEntitlementsAndGrants");

    /**
     * What the request asks: {@code ?force=true}, or a JSON body {@code {"force": true, "resourceTypes": ["group"],
     * "skipGrants": true, "skipEntitlementsAndGrants": false}}, each field optional; a body without the scope fields
     * syncs {@code defaults}. No body, or an empty one, asks nothing more. Anything else is a {@link SyncRequestException}.
     */
    static SyncRequest parse(Exchange ex, SyncScope defaults, ResourceUnits units) {
        List<String> known = units.types();
        boolean force = false;
        Object query = ex.getMessage().getHeader("force");
        if (query != null) {
            String v = query.toString().trim();
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new SyncRequestException("the query parameter force must be true or false");
            }
            force = Boolean.parseBoolean(v);
        }
        String body = ex.getMessage().getBody(String.class);
        if (body == null || body.isBlank()) {
            return new SyncRequest(force, defaults);
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(body);
        } catch (IOException e) {
            doc = null;
        }
        if (doc == null || !doc.isObject()) {
            throw new SyncRequestException("the body must be empty or a JSON object such as {\"force\": true}");
        }
        for (var names = doc.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new SyncRequestException("unknown field '" + RestErrors.shorten(name) + "': the body may carry " + String.join(", ", FIELDS));
            }
        }
        force |= flag(doc, "force");
        if (!doc.has("resourceTypes") && !doc.has("resources") && !doc.has("skipGrants") && !doc.has("skipEntitlementsAndGrants")) {
            return new SyncRequest(force, defaults);
        }
        List<String> types = strings(doc, "resourceTypes", "resource type ids, e.g. [\"user\", \"group\"]");
        List<String> resources = strings(doc, "resources", "baton resource ids, e.g. [\"bid:r:group/<id>\"]");
        try {
            return new SyncRequest(force, SyncScope.of(types, flag(doc, "skipGrants"), flag(doc, "skipEntitlementsAndGrants"), known)
                    .targeting(units.targets(resources)));
        } catch (IllegalArgumentException e) {
            throw new SyncRequestException(RestErrors.shorten(e.getMessage()));
        }
    }

    /** The field's strings (none when absent); anything but an array of strings is a {@link SyncRequestException}. */
    private static List<String> strings(JsonNode doc, String name, String what) {
        List<String> values = new ArrayList<>();
        JsonNode given = doc.path(name);
        if (given.isMissingNode()) {
            return values;
        }
        if (!given.isArray()) {
            throw new SyncRequestException(name + " must be a JSON array of " + what);
        }
        for (JsonNode v : given) {
            if (!v.isTextual()) {
                throw new SyncRequestException(name + " must be a JSON array of " + what);
            }
            values.add(v.asText());
        }
        return values;
    }

    private static boolean flag(JsonNode doc, String name) {
        if (!doc.has(name)) {
            return false;
        }
        if (!doc.get(name).isBoolean()) {
            throw new SyncRequestException(name + " must be true or false (a JSON boolean)");
        }
        return doc.get(name).booleanValue();
    }

    /** The 400 answer to a malformed request: {@code {"error": …}}. */
    public Map<String, Object> rejected(Exchange ex) {
        Throwable cause = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return Map.of("error", cause == null ? "bad request" : cause.getMessage());
    }

    /** The application is closing: a running sync stops at its next page and publishes nothing. */
    @EventListener(ContextClosedEvent.class)
    public void stopping() {
        stopping = true;
        SyncRun run = running();
        if (run != null) {
            log.info("Shutting down: sync {} stops at its next page; nothing of it is published", run.id());
        }
    }

    public void open(@ExchangeProperty(RUN) SyncRun run) {
        SyncSink sink = run.sink() != null ? run.sink() : sink();
        run.open(sink.open(run.id(), run.startedAt(), run.scope().batonSyncType()));
        log.info("Sync {} started ({}, for {}, sink {})", run.id(), run.scope().describe(), run.origin(), sink.type());
    }

    /** The sink named by {@code sink.type}, looked up when a sync opens (start-up has checked the name). */
    private SyncSink sink() {
        String configured = env.getProperty("sink.type", "").trim().toLowerCase(java.util.Locale.ROOT);
        String type = configured.isEmpty() ? "file" : configured;
        return sinks.stream().filter(s -> s.type().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalStateException("SINK_TYPE '" + type + "' names no sink of this version"));
    }

    /** A page was read: stops a sync that is shutting down, stopped or failed elsewhere; logs progress. Outside a sync, nothing. */
    public void pageFetched(@ExchangeProperty(RUN) SyncRun run) {
        if (run == null) {
            return; // the paging template serves provisioning too (a user's groups)
        }
        if (stopping) {
            throw new IllegalStateException("the connector shut down during the sync; nothing of it was published");
        }
        if (run.stopReason() != null) {
            throw new IllegalStateException(run.stopReason());
        }
        if (run.state() == SyncRun.State.FAILED) {
            // the other branch of the sync failed (users and groups are read side by side): stop this one too
            throw new IllegalStateException("the sync has already failed: " + run.error());
        }
        long pages = run.pageFetched();
        if (pages % progressEvery == 0) {
            log.info("Sync {} in progress: {} pages, {} API calls, {} rate-limited, counts {}", run.id(), pages,
                    run.apiCalls(), run.rateLimitedCalls(), run.counts());
        }
    }

    /**
     * One resource of a targeted sync as Seismic answered it ({@code sync-target-get}): its JSON as the body, or null,
     * with a warning, when Seismic does not know it. A sync that is shutting down or stopped stops here, as at a page.
     */
    public void targetFetched(@ExchangeProperty(RUN) SyncRun run, @ExchangeProperty(TARGET) SyncScope.Target target, Exchange ex) {
        pageFetched(run);
        if (ex.getProperty("seismicStatus", 0, Integer.class) == 404) {
            run.warn(target + " is not in Seismic (404): left out of the sync");
            ex.getMessage().setBody(null);
            return;
        }
        ex.getMessage().setBody(SeismicResponse.takeJson(ex));
    }

    public void complete(@ExchangeProperty(RUN) SyncRun run) {
        if (run.stopReason() != null) {
            throw new IllegalStateException(run.stopReason());
        }
        List<ObjectNode> types = units.resourceTypes().stream().filter(t -> run.scope().includes(t.path("id").asText())).toList();
        String output = run.writer().commit(types, Instant.now());
        synchronized (this) {
            run.succeeded(output, Instant.now());
            running = null;
        }
        lastSuccess.set(run.endedAt().getEpochSecond());
        if (run.scope().full()) {
            guard.succeeded(run); // a partial sync is no baseline for the next full one
            run.counts().forEach((type, n) -> lastCounts.get(type).set(n));
        }
        duration(run);
        log.info("Sync {} SUCCEEDED in {} s: {}; {} API calls, {} rate-limited; {} warnings; written to {}", run.id(),
                String.format("%.1f", run.duration().toMillis() / 1000.0), run.counts(), run.apiCalls(),
                run.rateLimitedCalls(), run.warnings().size(), output);
        run.warnings().forEach(w -> log.warn("Sync {}: {}", run.id(), w));
    }

    public void fail(Exchange ex) {
        fail(ex.getProperty(RUN, SyncRun.class), ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    private void fail(SyncRun run, Throwable cause) {
        String message = describe(cause);
        synchronized (this) {
            if (run.state() != SyncRun.State.RUNNING) {
                // users and groups are read side by side: the first failure is the reason, the other branch's is a consequence
                log.debug("Sync {} already ended {}; also: {}", run.id(), run.state(), message);
                return;
            }
            run.failed(message, byGuard(cause), Instant.now());
            if (running == run) {
                running = null;
            }
        }
        if (run.writer() != null) {
            run.writer().abort();
        }
        duration(run);
        log.error("Sync {} FAILED after {} s and {} API calls: {} (the last good result is kept)", run.id(),
                String.format("%.1f", run.duration().toMillis() / 1000.0), run.apiCalls(), message);
    }

    private void duration(SyncRun run) {
        Timer.builder("seismic.sync.duration").description("Sync duration by outcome").tag("outcome", run.state().name())
                .register(meters).record(run.duration());
    }

    public synchronized Map<String, Object> view(String id) {
        return history.stream().filter(r -> r.id().equals(id)).findFirst().map(SyncRegistry::toView).orElse(null);
    }

    public synchronized List<Map<String, Object>> list() {
        return history.stream().map(SyncRegistry::toView).toList();
    }

    public synchronized SyncRun running() {
        return running;
    }

    static Map<String, Object> toView(SyncRun r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("state", r.state().name());
        v.put("forced", r.forced());
        v.put("scope", r.scope().describe());
        v.put("origin", r.origin());
        v.put("startedAt", r.startedAt().toString());
        v.put("endedAt", r.endedAt() == null ? null : r.endedAt().toString());
        v.put("durationMs", r.duration().toMillis());
        v.put("counts", r.counts());
        v.put("pages", r.pages());
        v.put("apiCalls", r.apiCalls());
        v.put("rateLimited", r.rateLimitedCalls());
        v.put("outputLocation", r.outputLocation());
        v.put("warnings", r.warnings());
        v.put("error", r.error());
        return v;
    }

    private static boolean byGuard(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SyncGuardException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown failure";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root
                && (root.getMessage() == null || root instanceof org.apache.camel.CamelExecutionException
                    || root instanceof org.apache.camel.CamelExchangeException)) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg;
    }
}
