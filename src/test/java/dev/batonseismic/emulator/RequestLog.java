package dev.batonseismic.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Every request the emulator served (control endpoints excepted), and counters per endpoint template. */
public final class RequestLog {
    /** One served request. {@code endpoint} is the template, e.g. {@code GET /scim/v2/Groups/{id}/Users}. */
    public record Entry(long seq, Instant at, String method, String path, String query, String endpoint, int status,
                        String fault) {}

    private static final int MAX_ENTRIES = 2_000_000;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    /** A request arrived (it counts as in flight until its answer is about to be sent, latency included). */
    void enter() {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    /** Requests being served right now (latency included). */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests in flight at once since the last {@link #clear()}: how parallel the client was. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    void record(String method, String path, String query, int status, String fault) {
        String endpoint = method + " " + template(path);
        counters.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
        Entry e = new Entry(seq.incrementAndGet(), Instant.now(), method, path, query, endpoint, status, fault);
        synchronized (entries) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.subList(0, MAX_ENTRIES / 2).clear();
            }
            entries.add(e);
        }
    }

    /** Requests per endpoint template, sorted by template. */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public long count(String endpoint) {
        AtomicLong c = counters.get(endpoint);
        return c == null ? 0 : c.get();
    }

    /** Requests whose path starts with the prefix (e.g. {@code /scim/v2}). */
    public long countPathPrefix(String prefix) {
        synchronized (entries) {
            return entries.stream().filter(e -> e.path().startsWith(prefix)).count();
        }
    }

    public List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /** Requests served since the last {@link #clear()}. */
    public long total() {
        return seq.get();
    }

    /** Forgets every request so far: entries, counters and the total. */
    public void clear() {
        synchronized (entries) {
            entries.clear();
            seq.set(0);
        }
        maxInFlight.set(inFlight.get());
        counters.clear();
    }

    /** Replaces id segments by {id}: /scim/v2/Users/ab12/Groups → /scim/v2/Users/{id}/Groups. */
    static String template(String path) {
        String[] parts = path.split("/", -1);
        if (parts.length > 2 && parts[1].equals("tenants")) {
            parts[2] = "{tenant}";
        }
        if (parts.length > 3 && parts[1].equals("scim")) {
            for (int i = 4; i < parts.length; i += 2) {
                parts[i] = "{id}";
            }
        }
        return String.join("/", parts);
    }
}
