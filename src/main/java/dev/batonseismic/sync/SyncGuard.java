package dev.batonseismic.sync;

import org.springframework.beans.factory.annotation.Autowired;
import dev.batonseismic.config.SyncProperties;
import dev.batonseismic.config.ConnectorProperties;
import dev.batonseismic.config.SeismicProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.batonseismic.resources.ResourceUnits;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The safety guard between the end of a sync and its commit, whatever the sink: a sync whose user or grant count
 * dropped by more than {@code sync.max-drop-percent} against the last good sync fails with that reason, and the last
 * good output stays, unless the sync was forced ({@code POST /api/v1/syncs} with {@code {"force": true}}). A glitching
 * API must never tell the governance platform that everyone left.
 * <p>
 * The last good full sync's counts are kept per tenant, in {@code <connector.data-dir>/last-good-sync-<tenant>.json},
 * written after each commit, so the guard holds across restarts and a deployment pointed at another tenant (sandbox,
 * then production) compares each tenant only with itself. Without that file (a tenant's first sync) there is nothing to
 * compare with. The sink does not enter the key: the counts are the tenant's, whichever sink published them.
 */
@Component("syncGuard")
public class SyncGuard {
    /** Before the baseline was kept per tenant: one file for whatever tenant came next; not read any more. */
    static final String UNKEYED_STATE_FILE = "last-good-sync.json";
    private static final Logger log = LoggerFactory.getLogger(SyncGuard.class);

    private final Path stateFile;
    private final String tenant;
    private final List<String> guarded;
    private final ObjectMapper json;
    private volatile int maxDropPercent;
    private volatile Baseline last;
    private volatile boolean loaded;

    /** The last good sync: its id, when it ended, and its counts. */
    record Baseline(String syncId, String endedAt, Map<String, Long> counts) {}

    @Autowired
    public SyncGuard(ConnectorProperties connector, SeismicProperties seismic, SyncProperties sync, ObjectMapper json, ResourceUnits units) {
        this(connector.dataDir(), seismic.tenant(), sync.maxDropPercent(), json, units);
    }

    /** {@code tenant} is a checked tenant name (letters, digits, dashes), safe in a file name. */
    public SyncGuard(String dataDir, String tenant, int maxDropPercent, ObjectMapper json, ResourceUnits units) {
        this.guarded = units.guarded();
        this.tenant = tenant.trim();
        this.stateFile = Path.of(dataDir).toAbsolutePath().normalize().resolve("last-good-sync-" + this.tenant.toLowerCase(Locale.ROOT) + ".json");
        this.json = json;
        this.maxDropPercent = maxDropPercent;
    }

    /** Fails the sync (before anything is committed) when a guarded count dropped too far, unless it is forced. */
    public void check(@ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        if (run.scope().targeted() || run.scope().skipped()) {
            return; // a few resources, or none, say nothing about the tenant's size
        }
        Baseline before = baseline();
        if (before == null) {
            return;
        }
        Map<String, Long> now = run.counts();
        List<String> drops = new ArrayList<>();
        for (String type : guarded) {
            if (!run.scope().full() && !run.scope().includes(type)) {
                continue; // a partial sync is compared only in the types it covers, never in its grants
            }
            long was = before.counts().getOrDefault(type, 0L);
            long is = now.getOrDefault(type, 0L);
            if (was > 0 && (was - is) * 100 > (long) maxDropPercent * was) {
                drops.add((type.endsWith("s") ? type : type + "s") + " " + was + " -> " + is
                        + String.format(Locale.ROOT, " (-%.1f%%)", (was - is) * 100.0 / was));
            }
        }
        if (drops.isEmpty()) {
            return;
        }
        String what = String.join(", ", drops) + " against the last good sync " + before.syncId() + " of tenant " + tenant
                + (before.endedAt() == null ? "" : " (ended " + before.endedAt() + ")");
        if (run.forced()) {
            run.warn("forced: " + what + " is more than sync.max-drop-percent (" + maxDropPercent + "%), published anyway");
            return;
        }
        throw new SyncGuardException("safety guard: " + what + " is a drop of more than sync.max-drop-percent ("
                + maxDropPercent + "%); the last good output is kept. If the drop is real, start a sync with {\"force\": true}");
    }

    /** After a commit: this sync is the new last good one, in memory and in the state file. */
    public void succeeded(SyncRun run) {
        Baseline b = new Baseline(run.id(), run.endedAt() == null ? null : run.endedAt().toString(), run.counts());
        last = b;
        loaded = true;
        try {
            Files.createDirectories(stateFile.getParent());
            Path temp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("tenant", tenant);
            doc.put("syncId", b.syncId());
            doc.put("endedAt", b.endedAt());
            doc.put("counts", b.counts());
            Files.write(temp, json.writeValueAsBytes(doc));
            try {
                Files.move(temp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.warn("Cannot record sync {} as the last good sync in {}: {} (the drop guard compares with it only until a restart)",
                    run.id(), stateFile, e.getMessage());
        }
    }

    /** The last good sync, read from the state file the first time. */
    Baseline baseline() {
        if (!loaded) {
            synchronized (this) {
                if (!loaded) {
                    last = read();
                    loaded = true;
                }
            }
        }
        return last;
    }

    private Baseline read() {
        if (!Files.isRegularFile(stateFile)) {
            boolean unkeyed = Files.isRegularFile(stateFile.resolveSibling(UNKEYED_STATE_FILE));
            log.info("No last good sync of tenant {} recorded in {}: the drop guard starts with the next good sync{}", tenant, stateFile,
                    unkeyed ? " (" + UNKEYED_STATE_FILE + " names no tenant and is not compared with)" : "");
            return null;
        }
        try {
            JsonNode doc = json.readTree(stateFile.toFile());
            Map<String, Long> counts = new LinkedHashMap<>();
            doc.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
            return new Baseline(doc.path("syncId").asText(), doc.path("endedAt").asText(null), counts);
        } catch (IOException e) {
            log.warn("Cannot read the last good sync from {}: {}; the drop guard starts with the next good sync", stateFile, e.getMessage());
            return null;
        }
    }

    public int maxDropPercent() {
        return maxDropPercent;
    }

    /** Changes the threshold while running (tests that need the guard in a context where it is off). */
    public void maxDropPercent(int percent) {
        this.maxDropPercent = percent;
    }

    Path stateFile() {
        return stateFile;
    }
}
