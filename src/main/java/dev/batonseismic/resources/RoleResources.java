package dev.batonseismic.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.baton.v2.Capability;
import dev.batonseismic.model.BatonGrant;
import dev.batonseismic.model.BatonRecords;
import dev.batonseismic.provisioning.BadRequestException;
import dev.batonseismic.provisioning.Provisioner;
import dev.batonseismic.provisioning.ProvisioningResult;
import dev.batonseismic.provisioning.UserLocks;
import dev.batonseismic.seismic.RateBudget;
import dev.batonseismic.seismic.SeismicClient;
import dev.batonseismic.sync.SyncRegistry;
import dev.batonseismic.sync.SyncRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Seismic's platform roles as baton {@code role} resources, each with its {@code role:<id>:assigned} entitlement. The
 * role catalog is the reporting API's entitlementRoles, read by one route ({@code roles-catalog-fetch}, an instance of
 * the {@code reporting-paged-resource} template in {@code routes/resource-roles.yaml}) for the sync and for
 * provisioning alike (kept, read again when an id is not in it or it is ten minutes old); deleted roles are skipped.
 * Without the {@code seismic.reporting} scope (403) the roles are the distinct non-content SCIM role values, each with its
 * name as id, with a warning. Role grants come from each user's SCIM {@code roles}; granting or revoking a role writes
 * the user's whole roles array back with one PATCH, serialized per user.
 */
@Component("roleResources")
public class RoleResources implements ResourceUnit {
    public static final String TYPE = "role";
    static final String SLUG = "assigned";
    static final String CATALOG_READ = "roleCatalogRead";
    private static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /** A live catalog role. */
    record CatalogRole(String id, String name, String description) {}

    /** The catalog as one read found it: roles by id, or unavailable (no reporting scope: roles are names). */
    record Catalog(Map<String, CatalogRole> byId, Map<String, String> idByName, boolean unavailable, Instant readAt) {}

    /** What one sync keeps: the catalog it read, and without one the role names its users carried. */
    static final class RunRoles {
        final Catalog catalog;
        final Set<String> names = ConcurrentHashMap.newKeySet();

        RunRoles(Catalog catalog) {
            this.catalog = catalog;
        }
    }

    private final ObjectMapper json;
    private final BatonRecords records;
    private final SeismicClient seismic;
    private final UserLocks locks;
    private final UserResources users;
    private final LicenseResources licenses;
    private final ProducerTemplate template;
    private volatile Catalog cached;

    public RoleResources(ObjectMapper json, BatonRecords records, SeismicClient seismic, UserLocks locks, UserResources users,
                         LicenseResources licenses, ProducerTemplate template) {
        this.json = json;
        this.records = records;
        this.seismic = seismic;
        this.locks = locks;
        this.users = users;
        this.licenses = licenses;
        this.template = template;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectNode resourceType() {
        return records.resourceType(TYPE, "Role", "TRAIT_ROLE", false);
    }

    @Override
    public SyncRead syncRead() {
        return SyncRead.CATALOG;
    }

    @Override
    public String fetchEndpoint() {
        return "direct:sync-roles-fetch";
    }

    @Override
    public boolean derivesFromUsers() {
        return true;
    }

    @Override
    public String entitlementSlug() {
        return SLUG;
    }

    @Override
    public String provisioningKind(String slug, boolean grant) {
        return SLUG.equals(slug) ? "role-change" : null;
    }

    @Override
    public Set<Capability> capabilities(boolean provisioning) {
        return provisioning ? EnumSet.of(Capability.CAPABILITY_SYNC, Capability.CAPABILITY_PROVISION) : EnumSet.of(Capability.CAPABILITY_SYNC);
    }

    // ---- the catalog: one reader for the sync and for provisioning ----

    /** One page of entitlementRoles ({@code roles-catalog-page}): its live roles join the catalog being read. */
    public void catalogPage(@Body List<JsonNode> page, Exchange ex) {
        Map<String, CatalogRole> read = reading(ex);
        for (JsonNode role : page) {
            if (!role.path("isDeleted").asBoolean(false)) {
                String id = role.path("id").asText();
                read.put(id, new CatalogRole(id, role.path("name").asText(),
                        role.hasNonNull("description") ? role.get("description").asText() : null));
            }
        }
    }

    /** The reporting API answered 403 ({@code roles-catalog-unavailable}): the token lacks seismic.reporting. */
    public void catalogUnavailable(Exchange ex) {
        ex.setProperty(CATALOG_READ, null);
        ex.setProperty(CATALOG_READ + "Unavailable", true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, CatalogRole> reading(Exchange ex) {
        Map<String, CatalogRole> read = ex.getProperty(CATALOG_READ, Map.class);
        if (read == null) {
            read = new LinkedHashMap<>();
            ex.setProperty(CATALOG_READ, read);
        }
        return read;
    }

    /** The catalog the exchange read ({@code roles-catalog-fetch}), now the one provisioning uses too. */
    Catalog published(Exchange ex) {
        boolean unavailable = ex.getProperty(CATALOG_READ + "Unavailable", false, Boolean.class);
        Map<String, CatalogRole> byId = unavailable ? Map.of() : Map.copyOf(reading(ex));
        Map<String, String> idByName = new LinkedHashMap<>();
        byId.values().forEach(r -> idByName.put(r.name(), r.id()));
        Catalog c = new Catalog(byId, idByName, unavailable, Instant.now());
        cached = c;
        ex.removeProperty(CATALOG_READ);
        ex.removeProperty(CATALOG_READ + "Unavailable");
        return c;
    }

    /** The sync's catalog step, after {@code roles-catalog-fetch}: the run keeps the catalog read (or learns it has none). */
    public void catalogForSync(Exchange ex) {
        SyncRun run = ex.getProperty(SyncRegistry.RUN, SyncRun.class);
        Catalog c = published(ex);
        run.attachment(RunRoles.class, () -> new RunRoles(c));
        if (c.unavailable()) {
            run.warn("the token lacks seismic.reporting, so the role catalog cannot be read: roles are the distinct "
                    + "non-content SCIM role values, each with its name as id");
        }
    }

    /** The catalog for provisioning: the one kept, read again when it is old or lacks {@code roleId}. */
    private Catalog catalog(String roleId) {
        Catalog c = cached;
        if (c == null || c.readAt().plus(MAX_AGE).isBefore(Instant.now()) || (!c.unavailable() && !c.byId().containsKey(roleId))) {
            Exchange read = template.send("direct:roles-catalog-fetch", e -> e.setProperty(RateBudget.PRIORITY, "high"));
            if (read.getException() != null) {
                throw read.getException() instanceof RuntimeException r ? r : new IllegalStateException(read.getException());
            }
            c = published(read);
        }
        return c;
    }

    // ---- sync: grants from users, resources at the end ----

    /** A grant per catalog role the user's SCIM {@code roles} names; content tiers are licenses, never roles. */
    @Override
    public void fromUser(JsonNode user, String uid, SyncRun run) {
        RunRoles roles = run.attachment(RunRoles.class, () -> new RunRoles(null));
        for (JsonNode role : user.path("roles")) {
            String value = role.isTextual() ? role.asText() : role.path("value").asText();
            if (value.isEmpty() || licenses.isContentTier(value)) {
                continue;
            }
            String roleId;
            if (roles.catalog == null || roles.catalog.unavailable()) {
                roles.names.add(value);
                roleId = value;
            } else {
                roleId = roles.catalog.idByName().get(value);
            }
            if (roleId == null) {
                run.warn("role value '" + value + "' names no role in the catalog (deleted or unknown): not reported as a grant");
                continue;
            }
            run.writer().grant(new BatonGrant(TYPE, roleId, SLUG, uid));
            run.count("grants");
        }
    }

    /** At the end: a resource and an entitlement per catalog role (without a catalog: per role name seen). */
    @Override
    public void endOfSync(SyncRun run) {
        if (!run.scope().includes(TYPE)) {
            return;
        }
        RunRoles roles = run.attachment(RunRoles.class, () -> new RunRoles(null));
        List<CatalogRole> all = new ArrayList<>();
        if (roles.catalog == null || roles.catalog.unavailable()) {
            new TreeSet<>(roles.names).forEach(n -> all.add(new CatalogRole(n, n, null)));
        } else {
            all.addAll(roles.catalog.byId().values());
            all.sort((a, b) -> a.name().compareTo(b.name()));
        }
        for (CatalogRole r : all) {
            ObjectNode role = role(r.id(), r.name(), r.description());
            run.writer().resource(role);
            run.count(TYPE);
            if (run.scope().entitlements()) {
                run.writer().entitlement(assigned(role));
                run.count("entitlements");
            }
        }
    }

    // ---- records ----

    public ObjectNode role(String roleId, String name, String description) {
        ObjectNode profile = json.createObjectNode();
        profile.put("name", name);
        BatonRecords.putIfSet(profile, "description", description);
        ObjectNode r = records.resource(TYPE, roleId, name);
        BatonRecords.putIfSet(r, "description", description);
        BatonRecords.annotation(r, "RoleTrait").set("profile", profile);
        r.set("profile", profile.deepCopy());
        return r;
    }

    public ObjectNode assigned(ObjectNode role) {
        return records.entitlement(role, SLUG, role.path("displayName").asText() + " Role",
                "Has the " + role.path("displayName").asText() + " role in Seismic");
    }

    // ---- provisioning ----

    /**
     * Grants or revokes a role: reads the user's roles and writes the whole array back with one PATCH replace.
     * Changes to one user are serialized, so concurrent role changes never lose one.
     */
    public void changeRole(Exchange ex) {
        Provisioner.Target t = Provisioner.targetOf(ex);
        boolean grant = t.grant();
        Catalog c = catalog(t.resourceId());
        String name = c.unavailable() ? t.resourceId() : c.byId().containsKey(t.resourceId()) ? c.byId().get(t.resourceId()).name() : null;
        if (name == null) {
            throw BadRequestException.unknown("role " + t.resourceId() + " is not in Seismic's role catalog");
        }
        synchronized (locks.of(t.userId())) {
            JsonNode user = users.current(t.userId());
            List<String> current = new ArrayList<>();
            user.path("roles").forEach(r -> current.add(r.isTextual() ? r.asText() : r.path("value").asText()));
            if (grant == current.contains(name)) {
                answer(ex, t, grant ? ProvisioningResult.Status.ALREADY_EXISTS : ProvisioningResult.Status.ALREADY_REVOKED, "user "
                        + t.userId() + (grant ? " already has" : " does not have") + " role " + name);
                return;
            }
            List<String> next = new ArrayList<>(current);
            if (grant) {
                next.add(name);
            } else {
                next.remove(name);
            }
            ObjectNode patch = json.createObjectNode();
            patch.putArray("schemas").add(PATCH_OP);
            ObjectNode op = patch.putArray("Operations").addObject().put("op", "replace").put("path", "roles");
            ArrayNode value = op.putArray("value");
            next.forEach(v -> value.addObject().put("value", v));
            SeismicClient.Reply r = seismic.call("PATCH", "/scim/v2/Users/" + t.userId(), null, patch, "404");
            if (r.status() == 404) {
                throw BadRequestException.unknown("user " + t.userId() + " does not exist in Seismic");
            }
        }
        answer(ex, t, ProvisioningResult.Status.SUCCEEDED, (grant ? "role " + name + " granted to user " : "role " + name
                + " revoked from user ") + t.userId());
    }

    private void answer(Exchange ex, Provisioner.Target t, ProvisioningResult.Status status, String message) {
        Provisioner.answer(ex, ProvisioningResult.ok(Provisioner.request(ex).requestId(), status, message,
                records.grant(TYPE, t.resourceId(), t.slug(), t.userId()), null));
    }
}
