package dev.batonseismic.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.batonseismic.emulator.EmulatorSettings;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.emulator.RequestLog;
import dev.batonseismic.emulator.SeismicEmulator;
import dev.batonseismic.telemetry.OtlpCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The performance benchmark (issue 6): starts the Seismic emulator, and per regime generates a tenant, runs one full
 * sync of the connector (in its own JVM) and one of the sequential {@link ScimBaseline}, and measures calls against
 * the minimum, 429s, wall time against the lower bound, records per second, peak heap and RSS, and, where asked,
 * the latency of provisioning grants while a second sync saturates the budget. Prints a summary and writes one JSON
 * document per run.
 * <pre>
 * mvn -Pbench                                   # all regimes (about a quarter of an hour on 2 cores)
 * mvn -Pbench -Dbench.regimes=documented -Dbench.scale=0.1
 * </pre>
 * System properties: {@code bench.regimes} (documented,raised,offline-100k,offline-1m), {@code bench.scale} (users
 * multiplier, 1), {@code bench.baseline} (true), {@code bench.grants} (200, documented regime only),
 * {@code bench.connector-xmx} (256m), {@code bench.concurrency} (16, the connector's sync.concurrency where calls
 * wait for latency), {@code bench.offline-concurrency} (4, its sync.concurrency in the regimes without latency),
 * {@code bench.jfr} (false: a JFR recording per connector run), {@code bench.results} (bench/results),
 * {@code bench.work} (target/bench), {@code bench.keep-output} (false), {@code bench.sink} (file; c1z: the
 * connector writes baton's .c1z, whose counts are read back with the test reader; c1: the connector runs in
 * ConductorOne service mode against a C1 emulator, which asks for each sync and receives its upload), {@code bench.otel}
 * (false; true: the connector sends its traces and log records to an {@link OtlpCollector} in this JVM, which counts
 * them and the export requests).
 */
public final class Benchmark {
    /** One measured situation: tenant size, Seismic's limit (0 = none) and latency, grants to time during a sync. */
    public record Regime(String name, int users, int limitCalls, int windowSeconds, long latencyMs, int grants) {
        Regime scaled(double scale, int grants) {
            return new Regime(name, Math.max(10, (int) Math.round(users * scale)), limitCalls, windowSeconds, latencyMs,
                    this.grants > 0 ? grants : 0);
        }
    }

    public record Options(double scale, boolean baseline, int grants, String connectorXmx, int concurrency,
                          int offlineConcurrency, boolean jfr, Path resultsDir, Path workDir, boolean keepOutput, long seed,
                          String sink, boolean otel) {
        static Options fromSystemProperties() {
            return new Options(Double.parseDouble(System.getProperty("bench.scale", "1")),
                    Boolean.parseBoolean(System.getProperty("bench.baseline", "true")),
                    Integer.parseInt(System.getProperty("bench.grants", "200")),
                    System.getProperty("bench.connector-xmx", "256m"),
                    Integer.parseInt(System.getProperty("bench.concurrency", "16")),
                    Integer.parseInt(System.getProperty("bench.offline-concurrency", "4")),
                    Boolean.parseBoolean(System.getProperty("bench.jfr", "false")),
                    Path.of(System.getProperty("bench.results", "bench/results")),
                    Path.of(System.getProperty("bench.work", "target/bench")),
                    Boolean.parseBoolean(System.getProperty("bench.keep-output", "false")), 42,
                    System.getProperty("bench.sink", "file"),
                    Boolean.parseBoolean(System.getProperty("bench.otel", "false")));
        }
    }

    public static final List<Regime> REGIMES = List.of(
            new Regime("documented", 10_000, 600, 60, 100, 200),
            new Regime("raised", 100_000, 12_000, 60, 50, 0),
            new Regime("offline-100k", 100_000, 0, 60, 0, 0),
            new Regime("offline-1m", 1_000_000, 0, 60, 0, 0));

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Options options;
    private final String runId = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());

    public Benchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        // -Dbench.nodelay=false brings back Nagle on the emulator's HttpServer (see SeismicEmulator), for comparison
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("bench.nodelay", "true"));
        Options o = Options.fromSystemProperties();
        List<String> names = Arrays.asList(System.getProperty("bench.regimes",
                "documented,raised,offline-100k,offline-1m").split(","));
        List<Regime> regimes = names.stream().flatMap(n -> REGIMES.stream().filter(r -> r.name().equals(n.trim())))
                .map(r -> r.scaled(o.scale(), o.grants())).toList();
        if (regimes.isEmpty()) {
            throw new IllegalArgumentException("bench.regimes names none of " + REGIMES.stream().map(Regime::name).toList());
        }
        Result result = new Benchmark(o).run(regimes);
        System.out.println();
        System.out.println(result.summary());
        System.out.println("Result: " + result.file());
        System.exit(0); // the emulator's and the HTTP clients' threads
    }

    /** What a run produced: the JSON document (as written) and where it is. */
    public record Result(Map<String, Object> document, Path file) {
        @SuppressWarnings("unchecked")
        String summary() {
            StringBuilder b = new StringBuilder("Benchmark " + document.get("runId") + " on " + document.get("machine") + "\n");
            for (Map<String, Object> r : (List<Map<String, Object>>) document.get("regimes")) {
                b.append(Report.regime(r));
            }
            Object heap = document.get("heapScaling");
            if (heap != null) {
                b.append("heap scaling (offline, peak during sync): ").append(heap).append('\n');
            }
            return b.toString();
        }
    }

    public Result run(List<Regime> regimes) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("runId", runId);
        doc.put("machine", Machine.describe());
        doc.put("options", Map.of("scale", options.scale(), "baseline", options.baseline(), "connectorXmx", options.connectorXmx(),
                "concurrency", options.concurrency(), "offlineConcurrency", options.offlineConcurrency(), "jfr", options.jfr(),
                "seed", options.seed(), "sink", options.sink(), "otel", options.otel()));
        List<Map<String, Object>> results = new ArrayList<>();
        doc.put("regimes", results);
        Files.createDirectories(options.resultsDir());
        String names = String.join("+", regimes.stream().map(Regime::name).toList());
        Path file = options.resultsDir().resolve(runId + "-" + names + (options.sink().equals("file") ? "" : "-" + options.sink())
                + (options.otel() ? "-otel" : "") + ".json");
        EmulatorSettings settings = new EmulatorSettings().users(1).rateLimit(0, 60);
        try (SeismicEmulator emulator = SeismicEmulator.start(settings);
             OtlpCollector collector = options.otel() ? OtlpCollector.counting() : null) {
            for (Regime regime : regimes) {
                System.out.println("== " + regime + " (load " + Machine.loadAverage() + ")");
                Map<String, Object> r = runRegime(emulator, collector, regime);
                results.add(r);
                System.out.print(Report.regime(r));
                JSON.writeValue(file.toFile(), doc); // after every regime: a long run that is stopped keeps what it measured
            }
        }
        Map<String, Object> heap = heapScaling(results);
        if (heap != null) {
            doc.put("heapScaling", heap);
        }
        doc.put("loadAverageAtEnd", Machine.loadAverage());
        JSON.writeValue(file.toFile(), doc);
        return new Result(doc, file);
    }

    /** One regime; with a collector (bench.otel) the connector sends it its traces and log records. */
    private Map<String, Object> runRegime(SeismicEmulator emulator, OtlpCollector collector, Regime regime) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("regime", regime.name());
        r.put("users", regime.users());
        r.put("rateLimit", regime.limitCalls() <= 0 ? "none" : regime.limitCalls() + " calls / " + regime.windowSeconds() + " s");
        r.put("latencyMs", regime.latencyMs());
        r.put("concurrency", concurrency(regime));
        r.put("callsInFlight", concurrency(regime));
        r.put("connectorXmx", options.connectorXmx());

        emulator.settings().rateLimit(0, 60).latencyMs(0);
        long genStart = System.nanoTime();
        emulator.regenerate(regime.users(), options.seed());
        GroundTruth truth = emulator.truth();
        Map<String, Long> truthCounts = Counts.of(truth);
        long scimMin = truth.minimalScimCalls();
        long catalogMin = emulator.catalogEntries() / 1000 + 1;
        long minimum = scimMin + catalogMin + 1;
        List<String[]> grantPairs = regime.grants() > 0 ? grantPairs(truth, regime.grants()) : List.of();
        truth = null; // the tenant's copy can be large
        r.put("tenant", Map.of("counts", truthCounts, "generatedInMs", (System.nanoTime() - genStart) / 1_000_000));
        r.put("minimumCalls", Map.of("scim", scimMin, "catalog", catalogMin, "token", 1, "total", minimum));
        double lowerBoundMs = lowerBoundMs(minimum, regime);
        r.put("lowerBoundMs", Math.round(lowerBoundMs));

        emulator.settings().rateLimit(regime.limitCalls(), regime.windowSeconds()).latencyMs(regime.latencyMs());
        emulator.requests().clear();
        emulator.resetRateLimit();
        Path dir = options.workDir().resolve(runId).resolve(regime.name());
        Map<String, Object> c = new LinkedHashMap<>();
        r.put("connector", c);
        OtlpCollector.Received otelAtStart = collector == null ? null : collector.received();
        OtlpCollector.Received otelWhileSyncRan = null;
        try (ConnectorJvm connector = ConnectorJvm.start(emulator, regime.limitCalls(), regime.windowSeconds(),
                concurrency(regime), options.connectorXmx(), options.jfr(), options.sink(),
                collector == null ? null : collector.endpoint(), dir)) {
            double startupRss = connector.peakRssMb();
            boolean rssReset = connector.resetPeakRss();
            long gcMark = connector.gcLogMark();
            double cpu0 = connector.cpuSeconds();
            double emulatorCpu0 = ownCpuSeconds();
            long t0 = System.nanoTime();
            OtlpCollector.Received otelAtSync = collector == null ? null : collector.received();
            String id = connector.startSync();
            // offline: what the sync retains, measured once when 90 % of its pages are read (a full GC, well under 1 s)
            ConnectorJvm.Retained retained = regime.limitCalls() <= 0 ? retainedNearEnd(connector, id, (long) (0.9 * scimMin)) : null;
            JsonNode status = connector.awaitSync(id, Duration.ofHours(2));
            long wallMs = (System.nanoTime() - t0) / 1_000_000;
            if (collector != null) {
                otelWhileSyncRan = collector.received().since(otelAtSync);
            }
            double cpuSeconds = connector.cpuSeconds() - cpu0;
            double emulatorCpuSeconds = ownCpuSeconds() - emulatorCpu0;
            ConnectorJvm.Heap heap = connector.heapSince(gcMark);
            double syncRss = connector.peakRssMb();
            List<RequestLog.Entry> served = emulator.requests().entries();
            long calls = emulator.requests().total();
            long limited = served.stream().filter(e -> e.status() == 429).count();
            c.put("state", status.path("state").asText());
            if (!"SUCCEEDED".equals(status.path("state").asText())) {
                c.put("error", status.path("error").asText());
            }
            c.put("calls", calls);
            c.put("callsByEndpoint", emulator.requests().counters());
            c.put("callsMinusMinimum", calls - minimum);
            c.put("rateLimited", limited);
            c.put("maxInFlight", emulator.requests().maxInFlight());
            c.put("wallMs", wallMs);
            c.put("syncDurationMs", status.path("durationMs").asLong());
            c.put("wallToLowerBound", lowerBoundMs > 0 ? round(wallMs / lowerBoundMs, 3) : null);
            long records = 0;
            for (JsonNode n : status.path("counts")) {
                records += n.asLong();
            }
            c.put("records", records);
            c.put("usersPerSecond", Math.round(regime.users() * 1000.0 / Math.max(1, wallMs)));
            c.put("recordsPerSecond", Math.round(records * 1000.0 / Math.max(1, wallMs)));
            // CPU time is what a loaded machine distorts least: users per CPU second of the connector's own process
            c.put("cpuSeconds", round(cpuSeconds, 2));
            c.put("usersPerCpuSecond", cpuSeconds > 0 ? Math.round(regime.users() / cpuSeconds) : null);
            // the emulator serves from this JVM, on the same 2 cores: what it takes is not the connector's to use
            c.put("emulatorCpuSeconds", round(emulatorCpuSeconds, 2));
            Map<String, Object> heapFigures = new LinkedHashMap<>(Map.of("peakUsedMb", round(heap.peakUsedMb(), 1),
                    "peakAfterGcMb", round(heap.peakAfterGcMb(), 1), "collections", heap.collections(), "atEndMb", round(heap.atEndMb(), 1)));
            if (retained != null) {
                heapFigures.put("retainedAt90PercentMb", round(retained.totalMb(), 1));
                heapFigures.put("retainedLargest", retained.largest());
            }
            c.put("heap", heapFigures);
            c.put("rss", Map.of("startupPeakMb", round(startupRss, 1), "syncPeakMb", round(syncRss, 1),
                    "syncPeakIsSyncOnly", rssReset));
            readOutput(status, dir, c, connector.upload(id));
            if (regime.limitCalls() <= 0) {
                c.put("warmSync", warmSync(emulator, connector, regime, minimum, dir));
            }
            if (!grantPairs.isEmpty()) {
                r.put("provisioning", provisioningDuringSync(emulator, connector, grantPairs));
            }
        }
        if (collector != null) {
            // closed: the connector has sent what it still held at its shutdown
            c.put("otel", otel(collector.received().since(otelAtStart), otelWhileSyncRan, c, r));
        }

        if (options.baseline()) {
            if (!grantPairs.isEmpty()) {
                emulator.settings().rateLimit(0, 60).latencyMs(0);
                emulator.regenerate(regime.users(), options.seed()); // the same tenant, without the grants
                emulator.settings().rateLimit(regime.limitCalls(), regime.windowSeconds()).latencyMs(regime.latencyMs());
            }
            emulator.requests().clear();
            emulator.resetRateLimit();
            ScimBaseline.Result b = new ScimBaseline(emulator.baseUrl(), emulator.tokenUrl(), emulator.settings().clientId,
                    emulator.settings().clientSecret, emulator.settings().delegatedUserId).run();
            Map<String, Object> base = new LinkedHashMap<>();
            base.put("calls", emulator.requests().total());
            base.put("rateLimited", b.rateLimited());
            base.put("wallMs", b.durationMs());
            base.put("wallToLowerBound", lowerBoundMs > 0 ? round(b.durationMs() / lowerBoundMs, 3) : null);
            base.put("usersPerSecond", Math.round(regime.users() * 1000.0 / Math.max(1, b.durationMs())));
            base.put("counts", b.counts());
            r.put("baseline", base);
            r.put("connectorToBaseline", Map.of("time", round(((Number) c.get("wallMs")).doubleValue() / Math.max(1, b.durationMs()), 3),
                    "calls", round(((Number) c.get("calls")).doubleValue() / Math.max(1, emulator.requests().total()), 3)));
        }
        r.put("targets", targets(regime, r, lowerBoundMs, minimum));
        return r;
    }

    /**
     * Offline: a second sync of the same tenant in the same connector JVM, as a scheduled connector runs its next one:
     * the first sync also pays the JIT compiling the code it runs (a fixed cost, about 15 CPU-seconds here), this one
     * runs compiled code. Its calls (without a token request: the first sync's token is still valid) and counts are
     * checked like the first's.
     */
    private Map<String, Object> warmSync(SeismicEmulator emulator, ConnectorJvm connector, Regime regime, long minimum, Path dir)
            throws Exception {
        emulator.requests().clear();
        double cpu0 = connector.cpuSeconds();
        double emulatorCpu0 = ownCpuSeconds();
        long t0 = System.nanoTime();
        String id = connector.startSync();
        JsonNode status = connector.awaitSync(id, Duration.ofHours(2));
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("state", status.path("state").asText());
        // the first sync's token is still valid: the minimum without the token request (counted apart)
        long tokenCalls = emulator.requests().count("POST /tenants/{tenant}/connect/token");
        w.put("calls", emulator.requests().total() - tokenCalls);
        w.put("minimumCalls", minimum - 1);
        w.put("tokenCalls", tokenCalls);
        w.put("callsMinusMinimum", emulator.requests().total() - tokenCalls - (minimum - 1));
        w.put("wallMs", wallMs);
        w.put("usersPerSecond", Math.round(regime.users() * 1000.0 / Math.max(1, wallMs)));
        w.put("cpuSeconds", round(connector.cpuSeconds() - cpu0, 2));
        w.put("emulatorCpuSeconds", round(ownCpuSeconds() - emulatorCpu0, 2));
        readOutput(status, dir, w, connector.upload(id));
        return w;
    }

    /**
     * The counts read back from a sync's output (the file, the {@code .c1z}, or the {@code .c1z} ConductorOne received)
     * and its size; then the output goes.
     */
    private void readOutput(JsonNode status, Path dir, Map<String, Object> into, ConnectorJvm.Upload upload) throws IOException {
        String output = status.path("outputLocation").asText(null);
        if (output == null) {
            return;
        }
        if (upload != null) {
            into.put("counts", Counts.ofC1z(upload.file()));
            into.put("outputBytes", upload.bytes());
            into.put("upload", Map.of("bytes", upload.bytes(), "chunks", upload.chunks(), "attempts", upload.attempts(),
                    "uploadToFinishMs", upload.uploadToFinishMs(), "finished", upload.finished()));
            return;
        }
        into.put("counts", output.endsWith(".c1z") ? Counts.ofC1z(Path.of(output)) : Counts.ofSyncDocument(Path.of(output), JSON));
        into.put("outputBytes", Files.size(Path.of(output)));
        if (!options.keepOutput()) {
            deleteTree(dir.resolve("out"));
        }
    }

    /**
     * Issue 6's lower bound: max(calls ÷ allowed rate, calls × latency ÷ concurrency), where concurrency is the most
     * sync calls the connector has in flight: sync.concurrency (its seismicInFlight limit).
     */
    private double lowerBoundMs(long calls, Regime regime) {
        double byRate = regime.limitCalls() > 0 ? calls * 1000.0 * regime.windowSeconds() / regime.limitCalls() : 0;
        double byLatency = calls * (double) regime.latencyMs() / concurrency(regime);
        return Math.max(byRate, byLatency);
    }

    /** CPU time of this JVM (the emulator and the benchmark's polling), in seconds. */
    private static double ownCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /**
     * The connector's sync.concurrency, the most calls it has in flight: enough to hide the latency where calls wait
     * for it (16), and two per core where they wait for nothing (4): more threads there only hold more pages in
     * memory at once and take the CPU from the JIT compiler.
     */
    private int concurrency(Regime regime) {
        return regime.latencyMs() > 0 ? options.concurrency() : options.offlineConcurrency();
    }

    /** A second sync in the same connector, right after the measured one (the budget is still spent), with grants. */
    private Map<String, Object> provisioningDuringSync(SeismicEmulator emulator, ConnectorJvm connector,
                                                       List<String[]> pairs) throws Exception {
        emulator.requests().clear();
        String id = connector.startSync();
        long[] latencies = new long[pairs.size()];
        Instant[] answered = new Instant[pairs.size()];
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            String request = "{\"requestId\":\"" + UUID.randomUUID() + "\",\"operation\":\"grant\",\"entitlementId\":\"group:"
                    + pairs.get(i)[1] + ":member\",\"principalId\":\"user:" + pairs.get(i)[0] + "\"}";
            long t = System.nanoTime();
            String[] outcome = connector.provision(request);
            latencies[i] = (System.nanoTime() - t) / 1_000_000;
            answered[i] = Instant.now();
            outcomes.merge(outcome[0] + " " + outcome[1], 1, Integer::sum);
        }
        JsonNode sync = connector.awaitSync(id, Duration.ofHours(1));
        Instant syncEnd = Instant.parse(sync.path("endedAt").asText());
        long during = Arrays.stream(answered).filter(a -> a.isBefore(syncEnd)).count();
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("grants", pairs.size());
        p.put("outcomes", outcomes);
        p.put("answeredWhileSyncRan", during);
        p.put("p50Ms", percentile(sorted, 50));
        p.put("p99Ms", percentile(sorted, 99));
        p.put("maxMs", sorted[sorted.length - 1]);
        p.put("meanMs", Math.round(Arrays.stream(sorted).average().orElse(0)));
        p.put("latenciesMs", latencies); // in the order sent
        p.put("syncState", sync.path("state").asText());
        p.put("syncDurationMs", sync.path("durationMs").asLong());
        p.put("calls", emulator.requests().total()); // the grants' and the sync's
        p.put("rateLimited", emulator.requests().entries().stream().filter(e -> e.status() == 429).count());
        return p;
    }

    /**
     * What the collector received from the connector's start to its exit (all of the regime's syncs and grants, and
     * the log lines of start-up and shutdown), per Seismic call of those syncs and grants (about 25 spans if none are
     * dropped), and what it had received by the time the first sync ended (the batch processor sends every 5 s, so
     * some of that sync's spans come after).
     */
    private static Map<String, Object> otel(OtlpCollector.Received all, OtlpCollector.Received whileFirstSyncRan,
                                            Map<String, Object> c, Map<String, Object> r) {
        long calls = ((Number) c.get("calls")).longValue();
        if (c.get("warmSync") instanceof Map<?, ?> w) {
            calls += ((Number) w.get("calls")).longValue() + ((Number) w.get("tokenCalls")).longValue();
        }
        if (r.get("provisioning") instanceof Map<?, ?> p) {
            calls += ((Number) p.get("calls")).longValue();
        }
        Map<String, Object> o = received(all);
        o.put("seismicCalls", calls);
        o.put("spansPerSeismicCall", calls > 0 ? round(all.spans() / (double) calls, 1) : null);
        o.put("whileFirstSyncRan", received(whileFirstSyncRan));
        return o;
    }

    private static Map<String, Object> received(OtlpCollector.Received r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spans", r.spans());
        m.put("logRecords", r.logRecords());
        m.put("spanExports", r.spanExports());
        m.put("logExports", r.logExports());
        return m;
    }

    /** Distinct (user, group) pairs that are not memberships yet. */
    private static List<String[]> grantPairs(GroundTruth truth, int n) {
        List<String> users = new ArrayList<>(truth.users().keySet());
        List<String> groups = new ArrayList<>(truth.memberships().keySet());
        List<String[]> pairs = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; pairs.size() < n && i < n * 20; i++) {
            String gid = groups.get(i % groups.size());
            String uid = users.get((int) ((i * 7919L + 13) % users.size()));
            if (!truth.memberships().get(gid).contains(uid) && used.add(uid + gid)) {
                pairs.add(new String[] {uid, gid});
            }
        }
        return pairs;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> targets(Regime regime, Map<String, Object> r, double lowerBoundMs, long minimum) {
        Map<String, Object> c = (Map<String, Object>) r.get("connector");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("callsEqualMinimum", ((Number) c.get("calls")).longValue() == minimum);
        if (regime.limitCalls() > 0 && regime.limitCalls() <= 600) {
            t.put("no429", ((Number) c.get("rateLimited")).longValue() == 0);
        }
        if (regime.limitCalls() > 0) {
            t.put("wallWithin110PercentOfLowerBound", ((Number) c.get("wallMs")).doubleValue() <= 1.10 * lowerBoundMs);
        } else {
            t.put("atLeast20000UsersPerSecond", ((Number) c.get("usersPerSecond")).longValue() >= 20_000);
            Map<String, Object> warm = (Map<String, Object>) c.get("warmSync");
            if (warm != null) {
                t.put("warmSyncAtLeast20000UsersPerSecond", ((Number) warm.get("usersPerSecond")).longValue() >= 20_000);
                t.put("warmSyncCallsEqualMinimum", ((Number) warm.get("callsMinusMinimum")).longValue() == 0);
                t.put("warmSyncCountsEqualTruth", c.get("counts") != null && c.get("counts").equals(warm.get("counts")));
            }
        }
        Object base = r.get("baseline");
        if (base != null) {
            t.put("countsEqualBaseline", c.get("counts") != null && c.get("counts").equals(((Map<String, Object>) base).get("counts")));
        }
        t.put("countsEqualTruth", c.get("counts") != null && c.get("counts").equals(((Map<String, Object>) r.get("tenant")).get("counts")));
        Map<String, Object> p = (Map<String, Object>) r.get("provisioning");
        if (p != null) {
            t.put("provisioningP99Under2s", ((Number) p.get("p99Ms")).longValue() < 2000);
            t.put("provisioningMaxUnder2s", ((Number) p.get("maxMs")).longValue() < 2000);
        }
        return t;
    }

    /** The heap left after a full GC once the sync has read {@code pages} pages (null if it ended first). */
    private static ConnectorJvm.Retained retainedNearEnd(ConnectorJvm connector, String id, long pages) throws Exception {
        JsonNode s = Awaitility.await().atMost(Duration.ofHours(2)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> connector.syncStatus(id), st -> !"RUNNING".equals(st.path("state").asText()) || st.path("pages").asLong() >= pages);
        return "RUNNING".equals(s.path("state").asText()) ? connector.retained() : null;
    }

    /** Peak heap of the largest offline tenant against the 100k one (target: within 20 %). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> heapScaling(List<Map<String, Object>> results) {
        List<Map<String, Object>> offline = results.stream().filter(r -> "none".equals(r.get("rateLimit")))
                .sorted(Comparator.comparing(r -> (Integer) r.get("users"))).toList();
        if (offline.size() < 2) {
            return null;
        }
        Map<String, Object> small = (Map<String, Object>) ((Map<String, Object>) offline.get(0).get("connector")).get("heap");
        Map<String, Object> large = (Map<String, Object>) ((Map<String, Object>) offline.get(offline.size() - 1).get("connector")).get("heap");
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("users", List.of(offline.get(0).get("users"), offline.get(offline.size() - 1).get("users")));
        double used = (Double) large.get("peakUsedMb") / (Double) small.get("peakUsedMb");
        double afterGc = (Double) large.get("peakAfterGcMb") / (Double) small.get("peakAfterGcMb");
        h.put("peakUsedRatio", round(used, 3));
        h.put("peakAfterGcRatio", round(afterGc, 3));
        if (large.get("retainedAt90PercentMb") instanceof Double l && small.get("retainedAt90PercentMb") instanceof Double sm) {
            h.put("retainedRatio", round(l / sm, 3));
        }
        // the target: peak heap; after-GC peaks under a fixed -Xmx follow the collector's pacing (docs/performance.md)
        h.put("within20Percent", used <= 1.2);
        return h;
    }

    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Summary lines of one regime. */
    static final class Report {
        private Report() {}

        @SuppressWarnings("unchecked")
        static String regime(Map<String, Object> r) {
            Map<String, Object> c = (Map<String, Object>) r.get("connector");
            Map<String, Object> min = (Map<String, Object>) r.get("minimumCalls");
            Map<String, Object> b = (Map<String, Object>) r.get("baseline");
            Map<String, Object> heap = (Map<String, Object>) c.get("heap");
            Map<String, Object> rss = (Map<String, Object>) c.get("rss");
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "%-13s %,d users, limit %s, latency %d ms, concurrency %s, -Xmx%s%n", r.get("regime"),
                    r.get("users"), r.get("rateLimit"), r.get("latencyMs"), r.get("concurrency"), r.get("connectorXmx")));
            s.append(String.format(Locale.ROOT, "  connector   %s: calls %,d (minimum %,d), 429s %d, at most %d in flight, wall %.1f s (lower bound %.1f s, ratio %s), "
                            + "%,d users/s, %,d records/s%n", c.get("state"), c.get("calls"), min.get("total"), c.get("rateLimited"), c.get("maxInFlight"),
                    ((Number) c.get("wallMs")).longValue() / 1000.0, ((Number) r.get("lowerBoundMs")).longValue() / 1000.0,
                    c.get("wallToLowerBound"), c.get("usersPerSecond"), c.get("recordsPerSecond")));
            s.append(String.format(Locale.ROOT, "              connector CPU %s s (%s users per CPU second), emulator CPU %s s%n", c.get("cpuSeconds"),
                    c.get("usersPerCpuSecond"), c.get("emulatorCpuSeconds")));
            s.append(String.format(Locale.ROOT, "              heap peak %.0f MiB (highest after a GC %.0f MiB, %s GCs%s), RSS peak %.0f MiB during sync (%.0f MiB at start-up)%n",
                    heap.get("peakUsedMb"), heap.get("peakAfterGcMb"), heap.get("collections"),
                    heap.get("retainedAt90PercentMb") == null ? "" : String.format(Locale.ROOT, "; retained at 90 %% of the pages %.0f MiB", heap.get("retainedAt90PercentMb")),
                    rss.get("syncPeakMb"), rss.get("startupPeakMb")));
            s.append("              counts ").append(c.get("counts")).append('\n');
            Map<String, Object> otel = (Map<String, Object>) c.get("otel");
            if (otel != null) {
                Map<String, Object> first = (Map<String, Object>) otel.get("whileFirstSyncRan");
                s.append(String.format(Locale.ROOT, "  otel        collector received %,d spans in %,d export requests, %,d log records in %,d (connector start to exit), "
                                + "%s spans per Seismic call (%,d calls); while the first sync ran %,d spans, %,d log records%n",
                        otel.get("spans"), otel.get("spanExports"), otel.get("logRecords"), otel.get("logExports"), otel.get("spansPerSeismicCall"),
                        otel.get("seismicCalls"), first.get("spans"), first.get("logRecords")));
            }
            Map<String, Object> up = (Map<String, Object>) c.get("upload");
            if (up != null) {
                s.append(String.format(Locale.ROOT, "  C1 upload   %,d bytes in %s chunk(s), %.1f s from its first message to FinishTask, %s attempt(s)%n",
                        ((Number) up.get("bytes")).longValue(), up.get("chunks"), ((Number) up.get("uploadToFinishMs")).longValue() / 1000.0,
                        up.get("attempts")));
            }
            Map<String, Object> w = (Map<String, Object>) c.get("warmSync");
            if (w != null) {
                s.append(String.format(Locale.ROOT, "  warm sync   %s (the next sync in the same JVM): calls %,d (minimum %,d) + %d token request(s), wall %.1f s, %,d users/s, connector CPU %s s, emulator CPU %s s%n",
                        w.get("state"), w.get("calls"), w.get("minimumCalls"), w.get("tokenCalls"), ((Number) w.get("wallMs")).longValue() / 1000.0, w.get("usersPerSecond"),
                        w.get("cpuSeconds"), w.get("emulatorCpuSeconds")));
            }
            if (b != null) {
                s.append(String.format(Locale.ROOT, "  baseline    calls %,d, 429s %d, wall %.1f s, %,d users/s; connector/baseline %s%n",
                        b.get("calls"), b.get("rateLimited"), ((Number) b.get("wallMs")).longValue() / 1000.0, b.get("usersPerSecond"),
                        r.get("connectorToBaseline")));
                s.append("              counts ").append(b.get("counts")).append('\n');
            }
            Map<String, Object> p = (Map<String, Object>) r.get("provisioning");
            if (p != null) {
                s.append(String.format(Locale.ROOT, "  provisioning %d grants during a sync: p50 %d ms, p99 %d ms, max %d ms, %s answered while it ran, outcomes %s; the sync beside them %s in %d ms%n",
                        p.get("grants"), p.get("p50Ms"), p.get("p99Ms"), p.get("maxMs"), p.get("answeredWhileSyncRan"), p.get("outcomes"),
                        p.get("syncState"), p.get("syncDurationMs")));
            }
            s.append("  targets     ").append(r.get("targets")).append('\n');
            return s.toString();
        }
    }
}
