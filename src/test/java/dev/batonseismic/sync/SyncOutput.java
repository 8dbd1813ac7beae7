package dev.batonseismic.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A sync's JSON document, read back and indexed for assertions. */
final class SyncOutput {
    final JsonNode doc;
    final Map<String, Map<String, JsonNode>> resources = new LinkedHashMap<>();
    final Map<String, JsonNode> entitlements = new HashMap<>();
    final Map<String, JsonNode> grants = new HashMap<>();

    SyncOutput(Path file) throws IOException {
        doc = new ObjectMapper().readTree(file.toFile());
        for (JsonNode r : doc.get("resources")) {
            resources.computeIfAbsent(r.at("/id/resourceType").asText(), k -> new LinkedHashMap<>()).put(r.at("/id/resource").asText(), r);
        }
        doc.get("entitlements").forEach(e -> entitlements.put(e.get("id").asText(), e));
        doc.get("grants").forEach(g -> grants.put(g.get("id").asText(), g));
    }

    Map<String, JsonNode> of(String type) {
        return resources.getOrDefault(type, Map.of());
    }

    /** (resource id, user id) pairs of the grants on entitlements {@code <type>:<id>:<slug>}. */
    Map<String, Set<String>> holders(String type, String slug) {
        Map<String, Set<String>> out = new HashMap<>();
        for (JsonNode g : grants.values()) {
            String ent = g.at("/entitlement/id").asText();
            if (ent.startsWith(type + ":") && ent.endsWith(":" + slug)) {
                out.computeIfAbsent(g.at("/entitlement/resource/id/resource").asText(), k -> new HashSet<>())
                        .add(g.at("/principal/id/resource").asText());
            }
        }
        return out;
    }

    static Map<String, Set<String>> asSets(Map<String, List<String>> m) {
        Map<String, Set<String>> out = new HashMap<>();
        m.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, new HashSet<>(v));
            }
        });
        return out;
    }
}
