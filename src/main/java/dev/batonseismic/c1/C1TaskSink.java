package dev.batonseismic.c1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.model.BatonGrant;
import dev.batonseismic.sink.C1zSink;
import dev.batonseismic.sink.SinkType;
import dev.batonseismic.sink.SyncSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink of a sync that ConductorOne asked for: the existing c1z writer into a temporary file under
 * {@code c1.temp-dir}, and a commit that uploads it for the task (UploadAsset) and deletes it. The file never outlives
 * the sync: an aborted sync, a failed or cancelled upload delete it too. Nothing is committed for a stopped task.
 */
@SinkType(C1Settings.SINK_TYPE)
final class C1TaskSink implements SyncSink {
    private static final Logger log = LoggerFactory.getLogger(C1TaskSink.class);

    private final C1Task task;
    private final C1Client client;
    private final MeterRegistry meters;
    private final Path file;

    C1TaskSink(C1Task task, C1Client client, MeterRegistry meters) {
        this.task = task;
        this.client = client;
        this.meters = meters;
        this.file = client.settings().tempDir().resolve("c1-sync-" + task.id() + ".c1z");
    }

    @Override
    public Writer open(String syncId, Instant startedAt, String syncType) {
        removeLeftovers();
        Writer c1z = new C1zSink(file.toString()).open(syncId, startedAt, syncType);
        return new Writer() {
            @Override
            public void resource(ObjectNode resource) {
                c1z.resource(resource);
            }

            @Override
            public void resourceJson(byte[] resource) {
                c1z.resourceJson(resource);
            }

            @Override
            public void entitlement(ObjectNode entitlement) {
                c1z.entitlement(entitlement);
            }

            @Override
            public void grant(BatonGrant grant) {
                c1z.grant(grant);
            }

            @Override
            public String commit(List<ObjectNode> resourceTypes, Instant endedAt) {
                try {
                    c1z.commit(resourceTypes, endedAt);
                    long started = System.nanoTime();
                    long bytes = client.upload(task.id(), file, task::stopped);
                    meters.counter("c1.upload.bytes").increment(bytes);
                    log.info("C1 task {}: sync {} uploaded, {} bytes in {} ms", task.id(), syncId, bytes,
                            (System.nanoTime() - started) / 1_000_000);
                    return "c1:task/" + task.id();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the c1z of sync " + syncId + " for its upload: " + e.getMessage(), e);
                } finally {
                    delete();
                }
            }

            @Override
            public void abort() {
                try {
                    c1z.abort();
                } finally {
                    delete();
                }
            }
        };
    }

    /**
     * Files of C1 syncs whose process died (an out-of-memory kill, say) before they were deleted: one sync runs at a
     * time, so none of them is live. The temporary directory may outlive the process (an emptyDir outlives a restart).
     */
    private void removeLeftovers() {
        try (Stream<Path> files = Files.list(file.getParent())) {
            files.filter(p -> p.getFileName().toString().matches("\\.?c1-sync-.*")).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                    log.info("Removed {}, left by an earlier C1 sync that did not end", p);
                } catch (IOException e) {
                    log.warn("Cannot remove {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            // no temporary directory yet: nothing was left
        }
    }

    private void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("C1 task {}: cannot delete {}: {}", task.id(), file, e.getMessage());
        }
    }
}
