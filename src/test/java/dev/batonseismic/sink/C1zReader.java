package dev.batonseismic.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.batonseismic.baton.v2.GroupTrait;
import dev.batonseismic.baton.v2.LicenseProfileTrait;
import dev.batonseismic.baton.v2.RoleTrait;
import dev.batonseismic.baton.v2.SkipEntitlementsAndGrants;
import dev.batonseismic.baton.v2.UserTrait;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens a {@code .c1z} the way a baton reader does, sharing no code with the writer: checks the 5-byte header,
 * decompresses the rest with zstd-jni's stream decoder into a temporary file, opens that with the SQLite JDBC driver
 * (read-only), and decodes rows with the generated messages (and prints them as protobuf JSON for comparisons).
 */
public final class C1zReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
            .add(List.of(UserTrait.getDescriptor(), GroupTrait.getDescriptor(), RoleTrait.getDescriptor(),
                    LicenseProfileTrait.getDescriptor(), SkipEntitlementsAndGrants.getDescriptor())).build());

    public final byte[] header = new byte[5];
    public final Path database;
    private final Connection db;

    public C1zReader(Path c1z) throws IOException, SQLException {
        database = Files.createTempFile("c1z-reader-", ".db");
        try (InputStream in = Files.newInputStream(c1z)) {
            if (in.readNBytes(header, 0, 5) != 5) {
                throw new IOException(c1z + " is shorter than the c1z header");
            }
            try (ZstdInputStream zstd = new ZstdInputStream(in)) {
                Files.copy(zstd, database, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        db = DriverManager.getConnection("jdbc:sqlite:" + database, config.toProperties());
    }

    /** Every row of a query, column name → value (BLOBs as byte[]). */
    public List<Map<String, Object>> rows(String sql, Object... args) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> out = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnName(c), rs.getObject(c));
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }

    public long count(String sql, Object... args) throws SQLException {
        return ((Number) rows(sql, args).get(0).values().iterator().next()).longValue();
    }

    /** Table name → its columns in order, as "name TYPE [not null] [default x]". */
    public Map<String, List<String>> tables() throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map<String, Object> t : rows("select name from sqlite_master where type = 'table' order by name")) {
            String name = (String) t.get("name");
            List<String> columns = new ArrayList<>();
            for (Map<String, Object> c : rows("select * from pragma_table_info(?) order by cid", name)) {
                String col = c.get("name") + " " + String.valueOf(c.get("type")).toLowerCase();
                col += ((Number) c.get("pk")).intValue() == 1 ? " primary key" : "";
                col += ((Number) c.get("notnull")).intValue() == 1 ? " not null" : "";
                col += c.get("dflt_value") != null ? " default " + c.get("dflt_value") : "";
                columns.add(col);
            }
            out.put(name, columns);
        }
        return out;
    }

    /** Index name → "[unique ]table(col, …)[ where …]", for the named (non-automatic) indexes. */
    public Map<String, String> indexes() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> i : rows("select name, tbl_name, sql from sqlite_master where type = 'index' and sql is not null order by name")) {
            String name = (String) i.get("name");
            List<String> cols = new ArrayList<>();
            rows("select name from pragma_index_info(?) order by seqno", name).forEach(c -> cols.add((String) c.get("name")));
            String sql = ((String) i.get("sql")).toLowerCase();
            boolean unique = sql.startsWith("create unique");
            int where = sql.indexOf(" where ");
            out.put(name, (unique ? "unique " : "") + i.get("tbl_name") + "(" + String.join(", ", cols) + ")"
                    + (where < 0 ? "" : sql.substring(where)));
        }
        return out;
    }

    /** The {@code data} blobs of a table, decoded with {@code parser}, in row-id order. */
    public <T extends Message> List<T> messages(String table, com.google.protobuf.Parser<T> parser) throws SQLException {
        List<T> out = new ArrayList<>();
        for (Map<String, Object> r : rows("select data from " + table + " order by id")) {
            try {
                out.add(parser.parseFrom((byte[]) r.get("data")));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(table + " holds a row that does not decode: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** A decoded message in protobuf JSON form (Anys expanded), for comparison with the JSON sink. */
    public static JsonNode json(Message m) {
        try {
            return JSON.readTree(PRINTER.print(m));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        db.close();
        Files.deleteIfExists(database);
    }
}
