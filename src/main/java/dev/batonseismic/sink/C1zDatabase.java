package dev.batonseismic.sink;

import dev.batonseismic.baton.v2.Entitlement;
import dev.batonseismic.baton.v2.Grant;
import dev.batonseismic.baton.v2.Resource;
import dev.batonseismic.baton.v2.ResourceId;
import dev.batonseismic.baton.v2.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * The SQLite database of one sync on its way into a {@code .c1z} (as baton-sdk's pkg/dotc1z writes one): baton's v1
 * schema, one {@code full} sync-run row, and the records as rows keyed by their external ids, upserted in batches
 * inside transactions so that memory stays flat. Thread-safe: records arrive from several sync threads.
 */
final class C1zDatabase {
    static final String SCHEMA = "/c1z/schema-v1.sql";
    /** Rows per transaction. */
    static final int BATCH = 2000;
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String UPSERT = " on conflict (external_id, sync_id) do update set data = excluded.data";

    /** How many rows {@link #finish} dropped because what they point at was never written. */
    record Dropped(int entitlements, int grants) {}

    private final String syncId;
    /** A full sync holds every principal its grants name; a partial one (some types, some resources) need not. */
    private final boolean full;
    private final Connection db;
    private final PreparedStatement resources;
    private final PreparedStatement entitlements;
    private final PreparedStatement grants;
    private int pending;
    private boolean closed;

    C1zDatabase(Path file, String syncId, Instant startedAt, String syncType) throws SQLException {
        this.syncId = syncId;
        this.full = SyncSink.FULL.equals(syncType);
        this.db = DriverManager.getConnection("jdbc:sqlite:" + file);
        try {
            try (Statement s = db.createStatement()) {
                // a scratch file, deleted on any failure: no journal, no fsync (the .c1z is fsynced); the file header
                // stays in rollback-journal format, never WAL, as baton's readers expect
                s.execute("pragma journal_mode = off");
                s.execute("pragma synchronous = off");
                s.execute("pragma locking_mode = exclusive");
                for (String ddl : schema()) {
                    s.execute(ddl);
                }
            }
            db.setAutoCommit(false);
            try (PreparedStatement run = db.prepareStatement("insert into v1_sync_runs (sync_id, started_at, ended_at, sync_token, "
                    + "sync_type, parent_sync_id, grants_backfilled) values (?, ?, null, '', ?, '', 1)")) {
                run.setString(1, syncId);
                run.setString(2, sqliteTime(startedAt));
                run.setString(3, syncType);
                run.executeUpdate();
            }
            db.commit();
            resources = db.prepareStatement("insert into v1_resources (resource_type_id, external_id, parent_resource_type_id, "
                    + "parent_resource_id, data, sync_id, discovered_at) values (?, ?, ?, ?, ?, ?, ?)" + UPSERT);
            entitlements = db.prepareStatement("insert into v1_entitlements (resource_type_id, resource_id, external_id, data, "
                    + "sync_id, discovered_at) values (?, ?, ?, ?, ?, ?)" + UPSERT);
            grants = db.prepareStatement("insert into v1_grants (resource_type_id, resource_id, entitlement_id, "
                    + "principal_resource_type_id, principal_resource_id, external_id, expansion, needs_expansion, data, sync_id, "
                    + "discovered_at) values (?, ?, ?, ?, ?, ?, null, 0, ?, ?, ?)" + UPSERT);
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** A resource row: external id {@code <type>:<id>}, the parent's type and id or NULL. */
    synchronized void resource(Resource r, byte[] data) throws SQLException {
        check();
        ResourceId id = r.getId();
        resources.setString(1, id.getResourceType());
        resources.setString(2, externalId(id));
        resources.setString(3, r.hasParentResourceId() ? r.getParentResourceId().getResourceType() : null);
        resources.setString(4, r.hasParentResourceId() ? r.getParentResourceId().getResource() : null);
        resources.setBytes(5, data);
        resources.setString(6, syncId);
        resources.setString(7, sqliteTime(Instant.now()));
        resources.addBatch();
        added();
    }

    /** An entitlement row: keyed by its id, filed under the resource it belongs to. */
    synchronized void entitlement(Entitlement e, byte[] data) throws SQLException {
        check();
        ResourceId resource = e.getResource().getId();
        entitlements.setString(1, resource.getResourceType());
        entitlements.setString(2, resource.getResource());
        entitlements.setString(3, e.getId());
        entitlements.setBytes(4, data);
        entitlements.setString(5, syncId);
        entitlements.setString(6, sqliteTime(Instant.now()));
        entitlements.addBatch();
        added();
    }

    /** A grant row: the full grant (entitlement and principal included), no expansion. */
    synchronized void grant(Grant g, byte[] data) throws SQLException {
        check();
        ResourceId resource = g.getEntitlement().getResource().getId();
        ResourceId principal = g.getPrincipal().getId();
        grants.setString(1, resource.getResourceType());
        grants.setString(2, resource.getResource());
        grants.setString(3, g.getEntitlement().getId());
        grants.setString(4, principal.getResourceType());
        grants.setString(5, principal.getResource());
        grants.setString(6, g.getId());
        grants.setBytes(7, data);
        grants.setString(8, syncId);
        grants.setString(9, sqliteTime(Instant.now()));
        grants.addBatch();
        added();
    }

    /**
     * Writes the resource types, drops rows that point at something never written (an entitlement of a missing
     * resource, a grant of a missing entitlement, or, in a full sync, of a missing principal: baton's readers expect
     * referential integrity; a partial sync's grants name principals of the full sync it updates), sets
     * the sync's {@code ended_at}, commits and closes the database.
     */
    synchronized Dropped finish(List<ResourceType> types, List<byte[]> data, Instant endedAt) throws SQLException {
        check();
        try {
            flush();
            try (PreparedStatement put = db.prepareStatement("insert into v1_resource_types (external_id, data, sync_id, discovered_at) "
                    + "values (?, ?, ?, ?)" + UPSERT)) {
                for (int i = 0; i < types.size(); i++) {
                    put.setString(1, types.get(i).getId());
                    put.setBytes(2, data.get(i));
                    put.setString(3, syncId);
                    put.setString(4, sqliteTime(Instant.now()));
                    put.executeUpdate();
                }
            }
            int entitlementsDropped;
            int grantsDropped;
            try (Statement s = db.createStatement()) {
                entitlementsDropped = s.executeUpdate("delete from v1_entitlements where not exists (select 1 from v1_resources r "
                        + "where r.sync_id = v1_entitlements.sync_id "
                        + "and r.external_id = v1_entitlements.resource_type_id || ':' || v1_entitlements.resource_id)");
                grantsDropped = s.executeUpdate("delete from v1_grants where not exists (select 1 from v1_entitlements e "
                        + "where e.sync_id = v1_grants.sync_id and e.external_id = v1_grants.entitlement_id)"
                        + (full ? " or not exists (select 1 from v1_resources r where r.sync_id = v1_grants.sync_id "
                        + "and r.external_id = v1_grants.principal_resource_type_id || ':' || v1_grants.principal_resource_id)" : ""));
            }
            try (PreparedStatement end = db.prepareStatement("update v1_sync_runs set ended_at = ? where sync_id = ?")) {
                end.setString(1, sqliteTime(endedAt));
                end.setString(2, syncId);
                end.executeUpdate();
            }
            db.commit();
            return new Dropped(entitlementsDropped, grantsDropped);
        } finally {
            close();
        }
    }

    /** Closes without committing what is pending (the file is discarded). Idempotent. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            db.close();
        } catch (SQLException e) {
            // discarded or already committed
        }
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("the c1z writer of sync " + syncId + " is already closed");
        }
    }

    private void added() throws SQLException {
        if (++pending >= BATCH) {
            flush();
        }
    }

    private void flush() throws SQLException {
        resources.executeBatch();
        entitlements.executeBatch();
        grants.executeBatch();
        db.commit();
        pending = 0;
    }

    static String externalId(ResourceId id) {
        return id.getResourceType() + ":" + id.getResource();
    }

    /**
     * Baton's SQLite timestamp: local wall-clock time, no zone, {@code YYYY-MM-DD HH:MM:SS.fffffffff} with trailing
     * fractional zeros (and a bare point) dropped, so that text order is time order.
     */
    static String sqliteTime(Instant t) {
        LocalDateTime local = LocalDateTime.ofInstant(t, ZoneId.systemDefault());
        String seconds = local.format(SECONDS);
        if (local.getNano() == 0) {
            return seconds;
        }
        String fraction = String.format("%09d", local.getNano());
        int end = fraction.length();
        while (fraction.charAt(end - 1) == '0') {
            end--;
        }
        return seconds + "." + fraction.substring(0, end);
    }

    static List<String> schema() {
        try (InputStream in = C1zDatabase.class.getResourceAsStream(SCHEMA)) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return Arrays.stream(sql.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCHEMA, e);
        }
    }
}
