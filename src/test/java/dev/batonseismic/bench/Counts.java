package dev.batonseismic.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.sink.C1zReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The five counts the connector, the baseline and the emulator's ground truth are compared on. */
final class Counts {
    private Counts() {}

    static Map<String, Long> of(long users, long groups, long memberships, long roleGrants, long licenseGrants) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("users", users);
        m.put("groups", groups);
        m.put("memberships", memberships);
        m.put("roleGrants", roleGrants);
        m.put("licenseGrants", licenseGrants);
        return m;
    }

    static Map<String, Long> of(GroundTruth truth) {
        Map<String, Long> c = truth.counts();
        return of(c.get("users"), c.get("groups"), c.get("memberships"), c.get("roleGrants"), c.get("licenseGrants"));
    }

    /**
     * Reads a sync document of the file sink as a stream (it can be gigabytes): user and group resources, and grants
     * by the kind of their entitlement ({@code group:…:member}, {@code role:…}, {@code license:…}).
     */
    static Map<String, Long> ofSyncDocument(Path file, ObjectMapper json) throws IOException {
        long[] n = new long[5];
        try (JsonParser p = json.getFactory().createParser(file.toFile())) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String section = p.currentName();
                p.nextToken();
                if (!section.equals("resources") && !section.equals("grants")) {
                    p.skipChildren();
                    continue;
                }
                expect(p.currentToken(), JsonToken.START_ARRAY);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String kind = topLevelText(p, section.equals("resources") ? "resourceType" : "id");
                    if (section.equals("resources")) {
                        if ("user".equals(kind)) {
                            n[0]++;
                        } else if ("group".equals(kind)) {
                            n[1]++;
                        }
                    } else if (kind.startsWith("group:")) {
                        n[2]++;
                    } else if (kind.startsWith("role:")) {
                        n[3]++;
                    } else if (kind.startsWith("license:")) {
                        n[4]++;
                    }
                }
            }
        }
        return of(n[0], n[1], n[2], n[3], n[4]);
    }

    /** Counts the rows of a {@code .c1z}, opened with the test reader (decompressed, read through SQLite). */
    static Map<String, Long> ofC1z(Path file) throws IOException {
        try (C1zReader c1z = new C1zReader(file)) {
            return of(c1z.count("select count(*) from v1_resources where resource_type_id = 'user'"),
                    c1z.count("select count(*) from v1_resources where resource_type_id = 'group'"),
                    c1z.count("select count(*) from v1_grants where resource_type_id = 'group'"),
                    c1z.count("select count(*) from v1_grants where resource_type_id = 'role'"),
                    c1z.count("select count(*) from v1_grants where resource_type_id = 'license'"));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Consumes one record; answers its top-level text field {@code name}, or {@code resourceType} inside {@code id}. */
    private static String topLevelText(JsonParser p, String name) throws IOException {
        String found = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals(name) && value == JsonToken.VALUE_STRING) {
                found = p.getText();
            } else if (field.equals("id") && name.equals("resourceType") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String inner = p.currentName();
                    p.nextToken();
                    if (inner.equals("resourceType")) {
                        found = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected sync document: " + actual + " where " + expected + " belongs");
        }
    }
}
