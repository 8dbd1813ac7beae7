package dev.batonseismic.sink;

import org.springframework.beans.factory.annotation.Autowired;
import dev.batonseismic.config.SinkProperties;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import dev.batonseismic.baton.v2.Entitlement;
import dev.batonseismic.baton.v2.Grant;
import dev.batonseismic.baton.v2.Resource;
import dev.batonseismic.baton.v2.ResourceType;
import dev.batonseismic.model.BatonGrant;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code c1z} sink: each sync as baton's own file, format v1 (baton-sdk's pkg/dotc1z/format.go): the 5-byte header
 * {@code C1ZF\0}, then one zstd stream of a SQLite database with baton's tables, one {@code full} sync run and the
 * records as deterministic {@code c1.connector.v2} protobuf rows. Records stream into a scratch database next to the
 * target ({@code .<name>-<sync id>.db}) in batched transactions; commit closes it, compresses it into a temporary file,
 * fsyncs it and renames it over {@code sink.c1z.file}; a partial sync's file goes beside it ({@code sync.c1z}:
 * {@code sync.partial.c1z}), so that {@code sink.c1z.file} stays the last whole tenant, as the file sink's
 * {@code latest.json}. An aborted sync deletes its scratch files and leaves the previous {@code .c1z} untouched.
 */
@SinkType("c1z")
@Component("c1zSink")
public class C1zSink implements SyncSink {
    /** The v1 header: magic {@code C1ZF} and a zero byte. */
    public static final byte[] HEADER = {'C', '1', 'Z', 'F', 0};
    private static final Logger log = LoggerFactory.getLogger(C1zSink.class);

    private final Path file;
    /** Where a partial sync goes instead, so that {@link #file} stays the whole tenant; null: to {@link #file} too. */
    private final Path partialFile;

    /** The configured sink: a partial sync goes beside {@code sink.c1z.file}, to {@code <name>.partial.c1z}. */
    @Autowired
    public C1zSink(SinkProperties sink) {
        Path full = Path.of(sink.c1z().file()).toAbsolutePath().normalize();
        String name = full.getFileName().toString();
        this.file = full;
        this.partialFile = full.resolveSibling((name.endsWith(".c1z") ? name.substring(0, name.length() - 4) : name) + ".partial.c1z");
    }

    /** A sink that writes every sync, partial or not, to {@code file} (a ConductorOne task's upload). */
    public C1zSink(String file) {
        this.file = Path.of(file).toAbsolutePath().normalize();
        this.partialFile = null;
    }

    /** Where the {@code .c1z} of a full sync goes. */
    public Path file() {
        return file;
    }

    @Override
    public Writer open(String syncId, Instant startedAt, String syncType) {
        Path target = FULL.equals(syncType) || partialFile == null ? file : partialFile;
        Path work = scratch(target, syncId, ".db");
        try {
            Files.createDirectories(target.getParent());
            removeLeftovers(target);
            return new C1zWriter(target, syncId, new C1zDatabase(work, syncId, startedAt, syncType));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write next to the c1z file " + target + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            deleteQuietly(work);
            throw new IllegalStateException("cannot create the c1z database " + work + ": " + e.getMessage(), e);
        }
    }

    private static final class C1zWriter implements Writer {
        private final Path file;
        private final String syncId;
        private final C1zDatabase db;

        C1zWriter(Path file, String syncId, C1zDatabase db) {
            this.file = file;
            this.syncId = syncId;
            this.db = db;
        }

        @Override
        public void resource(ObjectNode json) {
            resource(C1zMessages.resource(json));
        }

        @Override
        public void resourceJson(byte[] json) {
            resource(C1zMessages.resource(new String(json, StandardCharsets.UTF_8)));
        }

        private void resource(Resource r) {
            byte[] data = C1zMessages.marshal(r);
            write(() -> db.resource(r, data));
        }

        @Override
        public void entitlement(ObjectNode json) {
            Entitlement e = C1zMessages.entitlement(json);
            byte[] data = C1zMessages.marshal(e);
            write(() -> db.entitlement(e, data));
        }

        @Override
        public void grant(BatonGrant grant) {
            Grant g = C1zMessages.grant(grant);
            byte[] data = C1zMessages.marshal(g);
            write(() -> db.grant(g, data));
        }

        @Override
        public String commit(List<ObjectNode> resourceTypes, Instant endedAt) {
            Path work = scratch(file, syncId, ".db");
            Path temp = scratch(file, syncId, ".tmp");
            try {
                long started = System.nanoTime();
                List<ResourceType> types = resourceTypes.stream().map(C1zMessages::resourceType).toList();
                C1zDatabase.Dropped dropped = db.finish(types, types.stream().map(C1zMessages::marshal).toList(), endedAt);
                if (dropped.entitlements() + dropped.grants() > 0) {
                    log.warn("Sync {}: left {} entitlements and {} grants out of the c1z: what they point at was not in the "
                            + "sync (the tenant changed while it ran)", syncId, dropped.entitlements(), dropped.grants());
                }
                long database = Files.size(work);
                compress(work, temp);
                move(temp, file);
                log.info("Sync {}: c1z written to {}: {} bytes (SQLite {} bytes), finished in {} ms", syncId, file,
                        Files.size(file), database, (System.nanoTime() - started) / 1_000_000);
                return file.toString();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the c1z file " + file + ": " + e.getMessage(), e);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot finish the c1z database of sync " + syncId + ": " + e.getMessage(), e);
            } finally {
                db.close();
                deleteQuietly(work);
                deleteQuietly(temp);
            }
        }

        @Override
        public void abort() {
            db.close();
            deleteQuietly(scratch(file, syncId, ".db"));
            deleteQuietly(scratch(file, syncId, ".tmp"));
        }

        private void write(SqlWrite w) {
            try {
                w.run();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot write to the c1z database of sync " + syncId + ": " + e.getMessage(), e);
            }
        }
    }

    @FunctionalInterface
    private interface SqlWrite {
        void run() throws SQLException;
    }

    /** The header, then the database zstd-compressed (with a content checksum), fsynced. */
    static void compress(Path database, Path target) throws IOException {
        try (FileOutputStream out = new FileOutputStream(target.toFile())) {
            OutputStream keepOpen = new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush(); // the zstd stream ends its frame on close; the file stays open for the fsync
                }
            };
            keepOpen.write(HEADER);
            try (ZstdOutputStream zstd = new ZstdOutputStream(keepOpen, Zstd.defaultCompressionLevel())) {
                zstd.setChecksum(true);
                Files.copy(database, zstd);
            }
            out.getFD().sync();
        }
    }

    private static Path scratch(Path file, String syncId, String suffix) {
        return file.resolveSibling("." + file.getFileName() + "-" + syncId + suffix);
    }

    /** Scratch files of syncs that died with their process (one sync runs at a time, so none of them is live). */
    private static void removeLeftovers(Path file) throws IOException {
        String prefix = "." + file.getFileName() + "-";
        try (Stream<Path> entries = Files.list(file.getParent())) {
            entries.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(C1zSink::deleteQuietly);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a stray scratch file is removed by the next sync
        }
    }
}
