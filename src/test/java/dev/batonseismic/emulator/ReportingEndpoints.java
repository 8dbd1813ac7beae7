package dev.batonseismic.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.batonseismic.emulator.HttpCall.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Seismic's reporting API, the two role endpoints: flat camelCase records as a JSON array, or CSV on
 * {@code Accept: text/csv}; {@code limit}/{@code offset} paging and the created/modified time-window filters.
 */
final class ReportingEndpoints {
    static final int DEFAULT_LIMIT = 1000;
    private static final List<String> ROLE_COLUMNS = List.of("id", "name", "description", "createdAt", "modifiedAt", "isDeleted");
    private static final List<String> ASSIGNMENT_COLUMNS = List.of("id", "userId", "roleId", "createdAt", "modifiedAt", "isDeleted");

    private final TenantStore store;
    private final ObjectMapper json;
    private final CsvMapper csv = new CsvMapper();

    ReportingEndpoints(TenantStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    Answer handle(HttpCall call) {
        if (!call.method.equals("GET")) {
            throw new ScimError(405, null, "the reporting API is read-only");
        }
        List<Map<String, Object>> records;
        List<String> columns;
        switch (call.path) {
            case "/reporting/v2/entitlementRoles" -> {
                records = store.catalog().stream().map(ReportingEndpoints::role).toList();
                columns = ROLE_COLUMNS;
            }
            case "/reporting/v2/userRoleAssignments" -> {
                records = assignments();
                columns = ASSIGNMENT_COLUMNS;
            }
            default -> throw new ScimError(404, null, "no reporting endpoint " + call.path);
        }
        Predicate<Map<String, Object>> window = window(call, "createdAt").and(window(call, "modifiedAt"));
        int offset = intParam(call, "offset", 0);
        int limit = intParam(call, "limit", DEFAULT_LIMIT);
        List<Map<String, Object>> page = records.stream().filter(window).skip(offset).limit(limit).toList();
        String accept = call.header("Accept");
        try {
            if (accept != null && accept.contains("text/csv")) {
                CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
                columns.forEach(schema::addColumn);
                byte[] body = csv.writer(schema.build()).writeValueAsBytes(page);
                return Answer.of(200, "text/csv; charset=utf-8", body);
            }
            return Answer.of(200, SeismicEmulator.JSON, json.writeValueAsBytes(page));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> role(CatalogRole r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("name", r.name());
        m.put("description", r.description());
        m.put("createdAt", r.createdAt().toString());
        m.put("modifiedAt", r.modifiedAt().toString());
        m.put("isDeleted", r.isDeleted());
        return m;
    }

    /** One assignment per (user, catalog role named in the user's SCIM roles); deleted roles give deleted assignments. */
    private List<Map<String, Object>> assignments() {
        Map<String, CatalogRole> byName = new HashMap<>();
        store.catalog().forEach(r -> byName.put(r.name(), r));
        List<Map<String, Object>> out = new ArrayList<>();
        store.scan(users -> users.forEach(u -> u.roles.forEach(name -> {
            CatalogRole r = byName.get(name);
            if (r != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", UUID.nameUUIDFromBytes((u.id + "/" + r.id()).getBytes(StandardCharsets.UTF_8)).toString());
                m.put("userId", u.id);
                m.put("roleId", r.id());
                m.put("createdAt", u.created.toString());
                m.put("modifiedAt", u.lastModified.toString());
                m.put("isDeleted", r.isDeleted());
                out.add(m);
            }
        })), groups -> { });
        return out;
    }

    /** {@code <field>StartTime} / {@code <field>EndTime}, format YYYY-MM-DDTHH:MM:SS (UTC), both inclusive. */
    private static Predicate<Map<String, Object>> window(HttpCall call, String field) {
        Instant from = time(call, field + "StartTime");
        Instant to = time(call, field + "EndTime");
        return rec -> {
            Instant t = Instant.parse((String) rec.get(field));
            return (from == null || !t.isBefore(from)) && (to == null || !t.isAfter(to));
        };
    }

    private static Instant time(HttpCall call, String name) {
        String v = call.query.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ScimError(400, null, name + " must look like 2024-01-25T02:16:45, got " + v);
        }
    }

    private static int intParam(HttpCall call, String name, int fallback) {
        String v = call.query.get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ScimError(400, null, name + " must be a non-negative integer, got " + v);
        }
    }
}
