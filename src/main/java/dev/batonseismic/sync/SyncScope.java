package dev.batonseismic.sync;

import dev.batonseismic.sink.SyncSink;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a sync covers: all resource types or some of them, with or without entitlements and grants (ConductorOne's
 * {@code sync_resource_type_ids}, {@code skip_grants}, {@code skip_entitlements_and_grants}). Each resource type decides
 * from its scope what it reads (users are read for the role and license grants too). Only a {@link #full()} sync moves
 * the drop guard's baseline.
 *
 * @param types the types covered
 * @param known every type the connector has, in its order
 */
public record SyncScope(Set<String> types, boolean skipGrants, boolean skipEntitlementsAndGrants, List<String> known) {

    public SyncScope {
        types = Set.copyOf(types);
        known = List.copyOf(known);
    }

    /** Every type, with entitlements and grants. */
    public static SyncScope full(List<String> known) {
        return new SyncScope(Set.copyOf(known), false, false, known);
    }

    /**
     * A scope from ids as ConductorOne sends them; none means all types. An unknown id is an
     * {@link IllegalArgumentException} naming it.
     */
    public static SyncScope of(Collection<String> typeIds, boolean skipGrants, boolean skipEntitlementsAndGrants, List<String> known) {
        Set<String> types = new LinkedHashSet<>();
        for (String id : typeIds) {
            String t = id == null ? "" : id.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!known.contains(t)) {
                throw new IllegalArgumentException("unknown resource type '" + t + "': this connector syncs " + String.join(", ", known));
            }
            types.add(t);
        }
        return new SyncScope(types.isEmpty() ? Set.copyOf(known) : types, skipGrants, skipEntitlementsAndGrants, known);
    }

    /** Every type, with entitlements and grants. */
    public boolean full() {
        return types.containsAll(known) && !skipGrants && !skipEntitlementsAndGrants;
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

    /** baton's sync type for this scope (the {@code .c1z}'s sync run): full, resources_only, or partial. */
    public String batonSyncType() {
        return full() ? SyncSink.FULL : skipEntitlementsAndGrants ? SyncSink.RESOURCES_ONLY : SyncSink.PARTIAL;
    }

    /** A short description for logs and the sync's status: "full", or what it covers. */
    public String describe() {
        if (full()) {
            return "full";
        }
        return known.stream().filter(types::contains).reduce((a, b) -> a + "," + b).orElse("")
                + (skipEntitlementsAndGrants ? ", no entitlements or grants" : skipGrants ? ", no grants" : "");
    }
}
