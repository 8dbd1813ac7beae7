package dev.batonseismic.sync;

import dev.batonseismic.seismic.SeismicCallListener;
import dev.batonseismic.sink.SyncSink;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One sync: its state and live counters (what {@code GET /api/v1/syncs/{id}} shows), what it covers, who asked for it,
 * what each resource type keeps while it runs, and its writer.
 */
public final class SyncRun implements SeismicCallListener {
    public enum State { RUNNING, SUCCEEDED, FAILED }

    private final String id;
    private final Instant startedAt;
    private final Map<String, LongAdder> counts = new LinkedHashMap<>();
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong pages = new AtomicLong();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    /** What a resource type keeps for the duration of one run (the role catalog it read, the license tiers it met). */
    private final Map<Class<?>, Object> attachments = new ConcurrentHashMap<>();
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
    SyncRun(String id, Instant startedAt, SyncScope scope, String origin, SyncSink sink, List<String> counted) {
        this.id = id;
        this.startedAt = startedAt;
        this.scope = scope;
        this.origin = origin;
        this.sink = sink;
        counted.forEach(k -> counts.put(k, new LongAdder()));
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

    /** One more record of {@code key} (a resource type, {@code entitlements} or {@code grants}). */
    public void count(String key) {
        counts.get(key).increment();
    }

    /** A warning of the run (shown in its status and logged at its end), once per text. */
    public void warn(String warning) {
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    /** This run's {@code type} state of a resource type, made by {@code create} the first time it is asked for. */
    public <T> T attachment(Class<T> type, Supplier<T> create) {
        return type.cast(attachments.computeIfAbsent(type, k -> create.get()));
    }

    // ---- lifecycle ----

    /** Where the run's records go. */
    public SyncSink.Writer writer() {
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
