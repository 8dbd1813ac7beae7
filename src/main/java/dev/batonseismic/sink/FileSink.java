package dev.batonseismic.sink;

import org.springframework.beans.factory.annotation.Autowired;
import dev.batonseismic.config.SinkProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.model.BatonGrant;
import dev.batonseismic.model.BatonRecords;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The default sink: one JSON document per sync, {@code sync-<id>.json} in {@code sink.file.directory}, with
 * {@code resourceTypes}, {@code resources}, {@code entitlements} and {@code grants} in baton's protobuf JSON form.
 * Records are streamed to part files while the sync runs (memory does not grow with the tenant); commit joins them
 * into a temporary file, fsyncs it, renames it into place, and then moves the {@code latest.json} pointer.
 * An aborted sync deletes its parts and leaves the last good result untouched.
 */
@SinkType("file")
@Component("fileSink")
public class FileSink implements SyncSink {
    public static final String LATEST = "latest.json";

    private final Path directory;
    private final ObjectMapper json;
    private final BatonRecords trees;

    @Autowired
    public FileSink(SinkProperties sink, ObjectMapper json) {
        this(sink.file().directory(), json);
    }

    public FileSink(String directory, ObjectMapper json) {
        this.directory = Path.of(directory).toAbsolutePath().normalize();
        this.json = json;
        this.trees = new BatonRecords(json);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public Writer open(String syncId, Instant startedAt, String syncType) {
        try {
            Files.createDirectories(directory);
            removeLeftovers();
            Path work = Files.createDirectories(directory.resolve(".sync-" + syncId));
            return new FileWriter(syncId, startedAt, syncType, work);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the sink directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private final class FileWriter implements Writer {
        private final String syncId;
        private final Instant startedAt;
        private final String syncType;
        private final Path work;
        private final Section resources;
        private final Section entitlements;
        private final Section grants;

        FileWriter(String syncId, Instant startedAt, String syncType, Path work) throws IOException {
            this.syncType = syncType;
            this.syncId = syncId;
            this.startedAt = startedAt;
            this.work = work;
            this.resources = new Section(work.resolve("resources.part"));
            this.entitlements = new Section(work.resolve("entitlements.part"));
            this.grants = new Section(work.resolve("grants.part"));
        }

        @Override
        public void resource(ObjectNode resource) {
            resources.write(resource);
        }

        @Override
        public void resourceJson(byte[] resource) {
            resources.write(resource);
        }

        @Override
        public void entitlement(ObjectNode entitlement) {
            entitlements.write(entitlement);
        }

        @Override
        public void grant(BatonGrant grant) {
            grants.write(grantJson(grant));
        }

        @Override
        public String commit(List<ObjectNode> resourceTypes, Instant endedAt) {
            Path target = directory.resolve("sync-" + syncId + ".json");
            Path temp = directory.resolve(".sync-" + syncId + ".json.tmp");
            try {
                resources.close();
                entitlements.close();
                grants.close();
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                     OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
                    write(out, "{\"syncId\":" + json.writeValueAsString(syncId)
                            + ",\"syncType\":\"" + syncType + "\",\"startedAt\":\"" + startedAt + "\",\"endedAt\":\"" + endedAt + "\""
                            + ",\"resourceTypes\":" + json.writeValueAsString(resourceTypes) + ",\n\"resources\":[\n");
                    Files.copy(resources.path, out);
                    write(out, "\n],\n\"entitlements\":[\n");
                    Files.copy(entitlements.path, out);
                    write(out, "\n],\n\"grants\":[\n");
                    Files.copy(grants.path, out);
                    write(out, "\n]}\n");
                    out.flush();
                    channel.force(true);
                }
                move(temp, target);
                if (FULL.equals(syncType)) {
                    pointLatestAt(target); // latest.json is always a whole tenant; a partial sync's file sits beside it
                }
                return target.toString();
            } catch (IOException e) {
                abort();
                throw new UncheckedIOException("cannot write the sync result to " + target + ": " + e.getMessage(), e);
            } finally {
                deleteWork();
            }
        }

        @Override
        public void abort() {
            resources.closeQuietly();
            entitlements.closeQuietly();
            grants.closeQuietly();
            try {
                Files.deleteIfExists(directory.resolve(".sync-" + syncId + ".json.tmp"));
            } catch (IOException e) {
                // nothing was published; a stray temp file is harmless
            }
            deleteWork();
        }

        private void deleteWork() {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /** Work files of syncs that died with their process (one sync runs at a time, so none of them is live). */
    private void removeLeftovers() throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(".sync-")).toList()) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /** {@code latest.json} → the newest good result: a relative symlink swapped atomically, or a copy where links fail. */
    private void pointLatestAt(Path target) throws IOException {
        Path latest = directory.resolve(LATEST);
        Path temp = directory.resolve(".latest.tmp");
        Files.deleteIfExists(temp);
        try {
            Files.createSymbolicLink(temp, target.getFileName());
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(target, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        move(temp, latest);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * A grant as the JSON text its tree ({@link BatonRecords#grant}) serializes to, byte for byte: written without the
     * tree when its ids are printable ASCII (grants are most of a sync's records), through the tree otherwise, so
     * escapes and non-ASCII text come out exactly as Jackson writes them.
     */
    byte[] grantJson(BatonGrant g) {
        if (!printableAscii(g.type()) || !printableAscii(g.resourceId()) || !printableAscii(g.slug()) || !printableAscii(g.userId())) {
            try {
                return json.writeValueAsBytes(trees.grant(g));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serialize grant " + g.id() + ": " + e.getMessage(), e);
            }
        }
        return new StringBuilder(160 + 3 * g.resourceId().length() + 3 * g.userId().length())
                .append("{\"entitlement\":{\"id\":\"").append(g.entitlementId())
                .append("\",\"resource\":{\"id\":{\"resourceType\":\"").append(g.type())
                .append("\",\"resource\":\"").append(g.resourceId())
                .append("\"}}},\"principal\":{\"id\":{\"resourceType\":\"user\",\"resource\":\"").append(g.userId())
                .append("\"}},\"id\":\"").append(g.id()).append("\"}")
                .toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Text that goes into a JSON string as it is: printable ASCII other than the quote and the backslash. */
    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One array's records, comma-separated, streamed to a part file. Records are serialized by the calling thread and
     * only appended under the lock: pages are handled in parallel, and serializing inside the lock made the sync's
     * threads queue on it.
     */
    private final class Section {
        private static final byte[] SEPARATOR = ",\n".getBytes(StandardCharsets.UTF_8);
        final Path path;
        private final OutputStream out;
        private boolean first = true;
        private boolean closed;

        Section(Path path) throws IOException {
            this.path = path;
            this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        }

        void write(ObjectNode record) {
            try {
                write(json.writeValueAsBytes(record));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serialize a record for " + path + ": " + e.getMessage(), e);
            }
        }

        void write(byte[] bytes) {
            synchronized (this) {
                try {
                    if (!first) {
                        out.write(SEPARATOR);
                    }
                    first = false;
                    out.write(bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write to " + path + ": " + e.getMessage(), e);
                }
            }
        }

        synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                out.close();
            }
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException e) {
                // aborting anyway
            }
        }
    }
}
