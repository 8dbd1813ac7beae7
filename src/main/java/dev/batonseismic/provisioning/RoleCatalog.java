package dev.batonseismic.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.seismic.SeismicClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Role id → role name for provisioning, from the reporting API's entitlementRoles (cached, reloaded when an id is
 * not found or the cache is old). Without {@code seismic.reporting} (403), role ids are role names, as in the sync.
 */
@Component
public class RoleCatalog {
    private static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final SeismicClient seismic;
    private final int pageSize;
    private Map<String, String> names;
    private boolean fallback;
    private Instant loadedAt = Instant.EPOCH;

    public RoleCatalog(SeismicClient seismic, @Value("${sync.reporting-page-size:1000}") int pageSize) {
        this.seismic = seismic;
        this.pageSize = pageSize;
    }

    /** The SCIM role name of a baton role id, or null when the catalog has no such (live) role. */
    public synchronized String nameOf(String roleId) {
        if (names == null || loadedAt.plus(MAX_AGE).isBefore(Instant.now()) || (!fallback && !names.containsKey(roleId))) {
            load();
        }
        return fallback ? roleId : names.get(roleId);
    }

    private void load() {
        Map<String, String> loaded = new HashMap<>();
        for (int offset = 0; ; ) {
            SeismicClient.Reply reply = seismic.call("GET", "/reporting/v2/entitlementRoles", "limit=" + pageSize + "&offset=" + offset, null, "403");
            if (reply.status() == 403) {
                fallback = true;
                break;
            }
            fallback = false;
            JsonNode page = reply.body();
            if (page == null || !page.isArray()) {
                break;
            }
            page.forEach(r -> {
                if (!r.path("isDeleted").asBoolean(false)) {
                    loaded.put(r.path("id").asText(), r.path("name").asText());
                }
            });
            offset += page.size();
            if (page.size() < pageSize) {
                break;
            }
        }
        names = loaded;
        loadedAt = Instant.now();
    }
}
