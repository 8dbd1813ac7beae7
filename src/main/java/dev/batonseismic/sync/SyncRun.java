package dev.batonseismic.sync;

import dev.batonseismic.seismic.SeismicCallListener;
import dev.batonseismic.sink.SyncSink;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One sync: its state and live counters (what {@code GET /api/v1/syncs/{id}} shows), what it covers, who asked for it,
 * its role catalog and its writer.
 */
public final class SyncRun implements SeismicCallListener {
    public enum State { RUNNING, SUCCEEDED, FAILED }

    public static final List<String> COUNTED = List.of("user", "group", "role", "license", "entitlements", "grants");

    private final String id;
    private final Instant startedAt;
    private final Map<String, LongAdder> counts = new LinkedHashMap<>();
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong pages = new AtomicLong();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    /** Catalog role name → role id (reporting API), or null while the catalog is unknown. */
    private final Map<String, String> roleIdByName = new ConcurrentHashMap<>();
    private final Map<String, String> roleDescriptions = new ConcurrentHashMap<>();
    /** Without the reporting scope: the distinct non-content role values seen, each a role whose id is its name. */
    private final Set<String> fallbackRoles = ConcurrentHashMap.newKeySet();
    private final Set<String> unknownTiers = ConcurrentHashMap.newKeySet();
    private volatile boolean roleFallback;
    private volatile State state = State.RUNNING;
    private final SyncScope scope;
    private final String origin;
    private final SyncSink sink;
    private volatile Instant endedAt;
    private volatile String outputLocation;
    private volatile String stopReason;
    private volatile boolean refusedByGuard;
    private volatile String error;
    private volatile SyncSink.Writer writer;
    private volatile boolean forced;

    /**
     * A run covering {@code scope}, asked for by {@code origin} (the route that asked, e.g. {@code rest-syncs-start}, or
     * {@code c1 task <id>}), written to {@code sink}, or to the configured sink when null.
     */
    SyncRun(String id, Instant startedAt, SyncScope scope, String origin, SyncSink sink) {
        this.id = id;
        this.startedAt = startedAt;
        this.scope = scope;
        this.origin = origin;
        this.sink = sink;
        COUNTED.forEach(k -> counts.put(k, new LongAdder()));
    }

    public SyncScope scope() {
        return scope;
    }

    public String origin() {
        return origin;
    }

    /** The sink this run writes to instead of the configured one, or null. */
    SyncSink sink() {
        return sink;
    }

    /** Asks the run to stop at its next page (and before it commits); it then fails with this reason. */
    public void stop(String reason) {
        stopReason = reason;
    }

    /** Why the run was asked to stop, or null. */
    public String stopReason() {
        return stopReason;
    }

    public String id() {
        return id;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public State state() {
        return state;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public String outputLocation() {
        return outputLocation;
    }

    public String error() {
        return error;
    }

    /** Whether the sync failed because the safety guard refused its counts (a retry would fail the same way). */
    public boolean refusedByGuard() {
        return refusedByGuard;
    }

    /** Whether this run may publish past the safety guard (asked for through the REST API). */
    public boolean forced() {
        return forced;
    }

    void force() {
        forced = true;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public long apiCalls() {
        return apiCalls.get();
    }

    public long rateLimitedCalls() {
        return rateLimited.get();
    }

    public long pages() {
        return pages.get();
    }

    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public Duration duration() {
        return Duration.between(startedAt, endedAt == null ? Instant.now() : endedAt);
    }

    @Override
    public void callMade() {
        apiCalls.incrementAndGet();
    }

    @Override
    public void rateLimited() {
        rateLimited.incrementAndGet();
    }

    @Override
    public void warning(String message) {
        warn(message);
    }

    long pageFetched() {
        return pages.incrementAndGet();
    }

    void count(String key) {
        counts.get(key).increment();
    }

    void warn(String warning) {
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    // ---- roles and licenses ----

    void addCatalogRole(String roleId, String name, String description) {
        roleIdByName.put(name, roleId);
        if (description != null) {
            roleDescriptions.put(roleId, description);
        }
    }

    void useRoleFallback() {
        roleFallback = true;
    }

    boolean roleFallback() {
        return roleFallback;
    }

    /** The role id a SCIM role value grants, or null when the value names no role (content tiers, unknown names). */
    String roleIdFor(String value) {
        if (roleFallback) {
            fallbackRoles.add(value);
            return value;
        }
        return roleIdByName.get(value);
    }

    /** Role id → name of every role resource this sync reports. */
    Map<String, String> roles() {
        Map<String, String> out = new LinkedHashMap<>();
        if (roleFallback) {
            fallbackRoles.stream().sorted().forEach(n -> out.put(n, n));
        } else {
            roleIdByName.forEach((name, rid) -> out.put(rid, name));
        }
        return out;
    }

    String roleDescription(String roleId) {
        return roleDescriptions.get(roleId);
    }

    /** Records an unknown license tier; true the first time it is seen. */
    boolean addUnknownTier(String tier) {
        return unknownTiers.add(tier);
    }

    Set<String> unknownTiers() {
        return Set.copyOf(unknownTiers);
    }

    // ---- lifecycle ----

    SyncSink.Writer writer() {
        return writer;
    }

    void open(SyncSink.Writer w) {
        this.writer = w;
    }

    void succeeded(String output, Instant at) {
        this.outputLocation = output;
        this.endedAt = at;
        this.state = State.SUCCEEDED;
    }

    void failed(String message, boolean byGuard, Instant at) {
        this.error = message;
        this.refusedByGuard = byGuard;
        this.endedAt = at;
        this.state = State.FAILED;
    }
}
