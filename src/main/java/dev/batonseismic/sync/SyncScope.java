package dev.batonseismic.sync;

import dev.batonseismic.model.BatonRecords;
import dev.batonseismic.sink.SyncSink;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a sync covers: all resource types or some of them, with or without entitlements and grants (ConductorOne's
 * {@code sync_resource_type_ids}, {@code skip_grants}, {@code skip_entitlements_and_grants}). Users are read when users,
 * roles or licenses are wanted (role and license grants come from the users); group members only when grants are.
 * Only a {@link #full()} sync moves the drop guard's baseline.
 */
public record SyncScope(Set<String> types, boolean skipGrants, boolean skipEntitlementsAndGrants) {
    /** The resource types a sync can cover. */
    public static final List<String> TYPES = List.of(BatonRecords.USER, BatonRecords.GROUP, BatonRecords.ROLE, BatonRecords.LICENSE);
    public static final SyncScope FULL = new SyncScope(Set.copyOf(TYPES), false, false);

    public SyncScope {
        types = Set.copyOf(types);
    }

    /**
     * A scope from ids as ConductorOne sends them; none means all types. An unknown id is an
     * {@link IllegalArgumentException} naming it.
     */
    public static SyncScope of(Collection<String> typeIds, boolean skipGrants, boolean skipEntitlementsAndGrants) {
        Set<String> types = new LinkedHashSet<>();
        for (String id : typeIds) {
            String t = id == null ? "" : id.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!TYPES.contains(t)) {
                throw new IllegalArgumentException("unknown resource type '" + t + "': this connector syncs " + String.join(", ", TYPES));
            }
            types.add(t);
        }
        return new SyncScope(types.isEmpty() ? Set.copyOf(TYPES) : types, skipGrants, skipEntitlementsAndGrants);
    }

    /** Every type, with entitlements and grants. */
    public boolean full() {
        return types.containsAll(TYPES) && !skipGrants && !skipEntitlementsAndGrants;
    }

    public boolean includes(String type) {
        return types.contains(type);
    }

    public boolean entitlements() {
        return !skipEntitlementsAndGrants;
    }

    public boolean grants() {
        return !skipGrants && !skipEntitlementsAndGrants;
    }

    /** Whether the users listing is read: user resources, or the role and license grants that come from users. */
    public boolean readsUsers() {
        return includes(BatonRecords.USER) || (grants() && (includes(BatonRecords.ROLE) || includes(BatonRecords.LICENSE)));
    }

    public boolean readsGroups() {
        return includes(BatonRecords.GROUP);
    }

    /** Whether each group's members are read (its grants). */
    public boolean readsMembers() {
        return readsGroups() && grants();
    }

    /** Whether the role catalog is read. */
    public boolean readsCatalog() {
        return includes(BatonRecords.ROLE);
    }

    /** baton's sync type for this scope (the {@code .c1z}'s sync run): full, resources_only, or partial. */
    public String batonSyncType() {
        return full() ? SyncSink.FULL : skipEntitlementsAndGrants ? SyncSink.RESOURCES_ONLY : SyncSink.PARTIAL;
    }

    /** A short description for logs and the sync's status: "full", or what it covers. */
    public String describe() {
        if (full()) {
            return "full";
        }
        return TYPES.stream().filter(types::contains).reduce((a, b) -> a + "," + b).orElse("")
                + (skipEntitlementsAndGrants ? ", no entitlements or grants" : skipGrants ? ", no grants" : "");
    }
}
