package dev.batonseismic.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.Application;
import dev.batonseismic.ChildJvm;
import dev.batonseismic.c1emulator.C1Emulator;
import dev.batonseismic.c1emulator.C1Records;
import dev.batonseismic.c1emulator.C1TaskBuilders;
import dev.batonseismic.emulator.EmulatorSettings;
import dev.batonseismic.emulator.SeismicEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The connector under measurement, in its own JVM (the real app and routes/*.yaml, configured by environment variables
 * only), so that its heap and RSS are its own: peak RSS is {@code VmHWM} of /proc/&lt;pid&gt;/status (reset with
 * {@code clear_refs} when the sync starts), peak heap comes from its GC log ({@code -Xlog:gc}: heap used before and
 * after each collection) plus one reading through Jolokia when the sync ends. With the sink {@code c1} it runs in
 * ConductorOne service mode against a C1 emulator in the benchmark's JVM, which asks for each sync (a sync_full task)
 * and receives its upload. With an OpenTelemetry collector's endpoint it sends its traces and log records there in
 * plaintext, as an operator turns them on ({@code BATON_OTEL_COLLECTOR_ENDPOINT}).
 */
final class ConnectorJvm implements AutoCloseable {
    /** Heap use during a sync (MiB): the highest used before a collection, the highest live set after one. */
    record Heap(double peakUsedMb, double peakAfterGcMb, int collections, double atEndMb) {}

    private static final Pattern GC_LINE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final String API_KEY = "bench-" + java.util.UUID.randomUUID();
    private static final Pattern HWM = Pattern.compile("VmHWM:\\s+(\\d+) kB");

    private final Process process;
    private final int port;
    private final Path gcLog;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    private final C1Emulator c1;
    private final Map<String, String> taskOfSync = new HashMap<>();

    private ConnectorJvm(Process process, int port, Path gcLog, Path log, C1Emulator c1) {
        this.process = process;
        this.port = port;
        this.gcLog = gcLog;
        this.log = log;
        this.c1 = c1;
    }

    /**
     * Starts the app against the emulator, sending its traces and logs to {@code otelEndpoint} unless that is null, and
     * waits until its REST API answers.
     */
    static ConnectorJvm start(SeismicEmulator emulator, int rateLimitCalls, int rateWindowSeconds, int concurrency,
                              String xmx, boolean jfr, String sink, String otelEndpoint, Path dir) throws IOException {
        Files.createDirectories(dir);
        EmulatorSettings s = emulator.settings();
        int port = ChildJvm.freePort();
        Map<String, String> env = new HashMap<>(ChildJvm.OPERATOR_ENV);
        // the benchmark talks to the app with an API key: HTTP basic checks a bcrypt hash per request (~0.1 s of CPU),
        // which would load the measured JVM
        env.put("CONNECTOR_SECURITY_API_KEYS_0_NAME", "bench");
        env.put("CONNECTOR_SECURITY_API_KEYS_0_KEY", API_KEY);
        env.put("CONNECTOR_SECURITY_API_KEYS_0_ROLES", "admin");
        env.putAll(Map.of("BATON_SEISMIC_API_URL", emulator.baseUrl(), "BATON_SEISMIC_AUTH_URL", emulator.tokenUrl(),
                "BATON_SEISMIC_CLIENT_ID", s.clientId, "BATON_SEISMIC_CLIENT_SECRET", s.clientSecret,
                "BATON_SEISMIC_TENANT", s.tenant, "BATON_SEISMIC_DELEGATION_USER_ID", s.delegatedUserId,
                "SERVER_PORT", String.valueOf(port), "SERVER_ADDRESS", "127.0.0.1", "BATON_PROVISIONING", "true"));
        env.put("SYNC_CRON", "0+0+0+1+1+?+2099");
        env.put("SEISMIC_RATE_LIMIT_CALLS", String.valueOf(rateLimitCalls));
        env.put("SEISMIC_RATE_LIMIT_WINDOW", rateWindowSeconds + "s");
        env.put("SYNC_CONCURRENCY", String.valueOf(concurrency));
        env.put("CONNECTOR_DATA_DIR", dir.resolve("data").toString());
        env.put("SINK_FILE_DIRECTORY", dir.resolve("out").toString());
        C1Emulator c1 = sink.equals("c1") ? C1Emulator.start() : null;
        if (c1 == null) {
            env.put("SINK_TYPE", sink);
        } else {
            env.putAll(c1.connectorEnvironment()); // service mode as the seed's Secret turns it on: no SINK_TYPE
            env.put("BATON_HOST_ID", "benchmark");
        }
        env.put("BATON_FILE", dir.resolve("out").resolve("sync.c1z").toString());
        if (otelEndpoint != null) {
            env.put("BATON_OTEL_COLLECTOR_ENDPOINT", otelEndpoint);
            env.put("BATON_OTEL_COLLECTOR_ENDPOINT_TLS_INSECURE", "true");
        }
        env.put("LOGGING_LEVEL_DEV_BATONSEISMIC", "WARN");
        env.put("LOGGING_LEVEL_ORG_APACHE_CAMEL", "WARN");
        Path gcLog = dir.resolve("gc.log");
        List<String> options = new ArrayList<>(List.of("-Xmx" + xmx, "-Xlog:gc:file=" + gcLog));
        String extraOptions = System.getProperty("bench.connector-jvm-options", "").trim();
        List<String> extra = extraOptions.isEmpty() ? List.of() : List.of(extraOptions.split("\\s+"));
        // the collector the image runs with (Dockerfile ENTRYPOINT), unless the options name another (two are an error)
        if (extra.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
            options.add("-XX:+UseSerialGC");
        }
        options.addAll(extra);
        if (c1 != null) {
            c1.trustStoreProperties().forEach((k, v) -> options.add("-D" + k + "=" + v));
        }
        if (jfr) {
            options.add("-XX:StartFlightRecording=filename=" + dir.resolve("connector.jfr") + ",settings=profile,jdk.ExecutionSample#period=2ms");
        }
        Path log = dir.resolve("connector.log");
        Process p = ChildJvm.main(Application.class, options, env, log).start();
        ConnectorJvm c = new ConnectorJvm(p, port, gcLog, log, c1);
        try {
            Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("the connector exited with " + p.exitValue() + "; see " + log);
                        }
                        return c.get("/api/v1/syncs").statusCode() == 200 && (c1 == null || !c1.hellos().isEmpty());
                    });
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** POST /api/v1/syncs (in service mode: a sync_full task from the C1 emulator): the new sync's id. */
    String startSync() throws IOException, InterruptedException {
        if (c1 != null) {
            String task = c1.enqueue(C1TaskBuilders.syncFull());
            String sync = Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> syncOfTask(task), id -> id != null);
            taskOfSync.put(sync, task);
            return sync;
        }
        HttpResponse<String> r = post("/api/v1/syncs", "");
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST /api/v1/syncs answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body()).path("id").asText();
    }

    private String syncOfTask(String task) throws IOException, InterruptedException {
        JsonNode status = json.readTree(get("/api/v1/c1").body());
        for (String list : List.of("running", "recent")) {
            for (JsonNode t : status.path(list)) {
                if (t.path("id").asText().equals(task) && t.hasNonNull("syncId")) {
                    return t.get("syncId").asText();
                }
            }
        }
        return null;
    }

    /**
     * Service mode: the upload of a sync as the C1 emulator received it: its file, bytes, chunks, and the time from the
     * upload's first message to FinishTask. Null for the other sinks.
     */
    Upload upload(String syncId) {
        String task = taskOfSync.get(syncId);
        if (c1 == null || task == null) {
            return null;
        }
        C1Records.FinishCall finish = c1.awaitFinish(task, Duration.ofMinutes(5));
        List<C1Records.UploadAttempt> attempts = c1.uploadAttempts(task);
        C1Records.UploadAttempt last = attempts.get(attempts.size() - 1);
        return new Upload(task, last.file(), last.bytes(), last.chunkSizes().size(), attempts.size(),
                Duration.between(last.at(), finish.at()).toMillis(), finish.succeeded());
    }

    /** A sync's upload to the C1 emulator. */
    record Upload(String taskId, Path file, long bytes, int chunks, int attempts, long uploadToFinishMs, boolean finished) {}

    JsonNode syncStatus(String id) throws IOException, InterruptedException {
        return json.readTree(get("/api/v1/syncs/" + id).body());
    }

    /** Waits until the sync is no longer RUNNING; answers its final status. */
    JsonNode awaitSync(String id, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> !"RUNNING".equals((last[0] = syncStatus(id)).path("state").asText()));
        return last[0];
    }

    /** One provisioning request over REST: the HTTP status and the result's status. */
    String[] provision(String request) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/api/v1/provisioning", request);
        return new String[] {String.valueOf(r.statusCode()), json.readTree(r.body()).path("status").asText()};
    }

    /** Where the GC log ends now: heap figures are read from here on. */
    long gcLogMark() throws IOException {
        return Files.exists(gcLog) ? Files.size(gcLog) : 0;
    }

    Heap heapSince(long mark) throws IOException, InterruptedException {
        double peakUsed = 0;
        double peakAfter = 0;
        int collections = 0;
        byte[] all = Files.readAllBytes(gcLog);
        String since = new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark));
        for (String line : since.split("\n")) {
            Matcher m = GC_LINE.matcher(line);
            if (line.contains("Pause") && m.find()) {
                collections++;
                peakUsed = Math.max(peakUsed, mb(m.group(1), m.group(2)));
                peakAfter = Math.max(peakAfter, mb(m.group(3), m.group(4)));
            }
        }
        double now = heapUsedMb();
        return new Heap(Math.max(peakUsed, now), peakAfter, collections, now);
    }

    /**
     * What the app retains now: {@code jcmd <pid> GC.class_histogram} (a full collection, then the live objects by
     * class), as total MiB and the five largest classes. Peak heap under a fixed -Xmx mostly shows how far the
     * collector lets garbage pile up; this shows what a sync holds.
     */
    Retained retained() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid()), "GC.class_histogram").redirectErrorStream(true).start();
        List<String> lines = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        jcmd.waitFor();
        double totalMb = 0;
        List<String> top = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].equals("Total")) {
                totalMb = Long.parseLong(f[2]) / (1024.0 * 1024.0);
            } else if (f.length >= 4 && f[0].endsWith(":") && top.size() < 5) {
                top.add(f[3] + " " + Math.round(Long.parseLong(f[2]) / (1024.0 * 1024.0)) + " MiB");
            }
        }
        if (totalMb == 0) {
            throw new IllegalStateException("jcmd GC.class_histogram gave no total: " + lines);
        }
        return new Retained(totalMb, top);
    }

    /** Live heap after a full collection, and its five largest classes. */
    record Retained(double totalMb, List<String> largest) {
    }

    /** The heap in use now, read through Jolokia (java.lang:type=Memory). */
    double heapUsedMb() throws IOException, InterruptedException {
        JsonNode r = json.readTree(get("/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage").body());
        return r.path("value").path("used").asLong() / (1024.0 * 1024.0);
    }

    /** Resets the peak RSS (VmHWM) to the current RSS; false where the kernel refuses. */
    boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/" + pid() + "/clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** VmHWM of the connector's process, in MiB. */
    double peakRssMb() {
        try {
            Matcher m = HWM.matcher(Files.readString(Path.of("/proc/" + pid() + "/status")));
            return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU time the connector's process has used so far (user + system, from /proc/&lt;pid&gt;/stat), in seconds. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in USER_HZ (100)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double mb(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + API_KEY)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        if (c1 != null) {
            c1.close();
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
