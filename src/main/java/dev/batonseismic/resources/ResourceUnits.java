package dev.batonseismic.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.sync.SyncRegistry;
import dev.batonseismic.sync.SyncRun;
import dev.batonseismic.sync.SyncScope;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import dev.batonseismic.provisioning.BadRequestException;
import dev.batonseismic.provisioning.Provisioner;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * The connector's resource types, in one list. The sync's fan-out, the counted and guarded types, the resource-type
 * records, the provisioning dispatch and the capabilities ConductorOne is told are all derived from it: adding a type
 * is its class, its {@code routes/resource-<type>s.yaml} and one line here, in {@link #ORDER}.
 */
@Component("resourceUnits")
public class ResourceUnits {
    /** The types, in the order the sync lists them (and baton-seismic did): a new type is one more entry. */
    static final List<Class<? extends ResourceUnit>> ORDER = List.of(
            UserResources.class,
            GroupResources.class,
            RoleResources.class,
            LicenseResources.class);

    private final List<ResourceUnit> all;

    /** The {@link ResourceUnit} beans, put in {@link #ORDER}; one missing from it, or missing, stops start-up by name. */
    public ResourceUnits(List<ResourceUnit> units) {
        for (ResourceUnit u : units) {
            if (!ORDER.contains(u.getClass())) {
                throw new IllegalStateException(u.getClass().getSimpleName() + " implements ResourceUnit but is not in ResourceUnits.ORDER: "
                        + "add it there, where the order of the types is kept.");
            }
        }
        this.all = ORDER.stream().map(type -> units.stream().filter(type::isInstance).findFirst()
                .orElseThrow(() -> new IllegalStateException("ResourceUnits.ORDER names " + type.getSimpleName() + ", but no such unit "
                        + "was given: annotate it with @Component (a test that builds ResourceUnits by hand must add it to its list)."))).toList();
    }

    public List<ResourceUnit> all() {
        return all;
    }

    /** The type ids, in the list's order. */
    public List<String> types() {
        return all.stream().map(ResourceUnit::type).toList();
    }

    /** The type's unit, or null. */
    public ResourceUnit unit(String type) {
        return all.stream().filter(u -> u.type().equals(type)).findFirst().orElse(null);
    }

    /** The baton ResourceType records. */
    public List<ObjectNode> resourceTypes() {
        return all.stream().map(ResourceUnit::resourceType).toList();
    }

    /** What a sync counts: each type, its entitlements and its grants. */
    public List<String> counted() {
        return Stream.concat(types().stream(), Stream.of("entitlements", "grants")).toList();
    }

    /** The counts the drop guard compares: the guarded types, and the grants. */
    public List<String> guarded() {
        return Stream.concat(all.stream().filter(ResourceUnit::guarded).map(ResourceUnit::type), Stream.of("grants")).toList();
    }

    /** The sync's first step ({@code recipientList} in sync-run): the catalogs the run's scope needs. */
    public List<String> catalogReads(@ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        return reads(run.scope(), ResourceUnit.SyncRead.CATALOG);
    }

    /** The sync's second step, in parallel: the listings the run's scope needs. */
    public List<String> listingReads(@ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        return reads(run.scope(), ResourceUnit.SyncRead.LISTING);
    }

    /** The endpoints that read, for a sync of {@code scope}, the types read at {@code when}. */
    public List<String> reads(SyncScope scope, ResourceUnit.SyncRead when) {
        List<String> endpoints = new ArrayList<>();
        for (ResourceUnit u : all) {
            if (u.syncRead() == when && u.readBy(scope, this)) {
                endpoints.add(u.fetchEndpoint());
            }
        }
        return endpoints;
    }

    /**
     * Resources for a targeted sync, from baton's ids ({@code bid:r:group/<id>}), checked: each must be of a type that
     * can be read by itself ({@link ResourceUnit#targetEndpoint}), its id well formed. Anything else is an
     * {@link IllegalArgumentException} naming it.
     */
    public List<SyncScope.Target> targets(List<String> bids) {
        return checked(bids.stream().filter(b -> b != null && !b.isBlank()).map(SyncScope.Target::parse).toList());
    }

    /** {@link #targets} for resources already split into type and id (ConductorOne's targeted_sync_resources). */
    public List<SyncScope.Target> checked(List<SyncScope.Target> targets) {
        for (SyncScope.Target t : targets) {
            ResourceUnit u = unit(t.type());
            if (u == null) {
                throw new IllegalArgumentException("unknown resource type '" + t.type() + "' in " + t + ": this connector syncs "
                        + String.join(", ", types()));
            }
            if (u.targetEndpoint() == null) {
                throw new IllegalArgumentException(t + " cannot be synced by itself: Seismic gives a " + t.type() + "'s grants only with "
                        + "every user, so sync the type instead (resource types [\"" + t.type() + "\"]); these can be targeted: "
                        + String.join(", ", targetable()));
            }
            try {
                Provisioner.seismicId(t.id(), t.type() + " id");
            } catch (BadRequestException e) {
                throw new IllegalArgumentException(e.getMessage() + " in " + t);
            }
        }
        return targets;
    }

    /** The types a targeted sync can name. */
    public List<String> targetable() {
        return all.stream().filter(u -> u.targetEndpoint() != null).map(ResourceUnit::type).toList();
    }

    /** A targeted sync's resources, one exchange each ({@code sync-run}'s {@code each-target}). */
    public List<SyncScope.Target> targetsOf(@ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        return run.scope().targets();
    }

    /** The endpoint that reads one target ({@code sync-run}'s {@code read-target}). */
    public String targetRead(@Body SyncScope.Target target) {
        return unit(target.type()).targetEndpoint();
    }

    /** The entitlement ids there are, for an error message: {@code group:<id>:member, role:<id>:assigned or …}. */
    public String entitlementExamples() {
        List<String> ids = all.stream().filter(u -> u.entitlementSlug() != null).map(u -> u.type() + ":<id>:" + u.entitlementSlug()).toList();
        return ids.size() < 2 ? String.join("", ids)
                : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
    }

    /** Whether some type the scope covers takes its grants from the users. */
    boolean grantsFromUsers(SyncScope scope) {
        return scope.grants() && all.stream().anyMatch(u -> u.derivesFromUsers() && scope.includes(u.type()));
    }

    /** Each type's grants from one SCIM user. */
    void fromUser(JsonNode user, String uid, SyncRun run) {
        for (ResourceUnit u : all) {
            if (u.derivesFromUsers() && run.scope().includes(u.type())) {
                u.fromUser(user, uid, run);
            }
        }
    }

    /** The sync's last reading step: each type's derived records. */
    public void endOfSync(@ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        all.forEach(u -> u.endOfSync(run));
    }
}
