package dev.batonseismic.sync;

import dev.batonseismic.sink.SyncSink;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a sync covers: all resource types or some of them, with or without entitlements and grants (ConductorOne's
 * {@code sync_resource_type_ids}, {@code skip_grants}, {@code skip_entitlements_and_grants}); or given resources only
 * (a targeted sync: {@code targeted_sync_resources}, {@code BATON_SYNC_RESOURCES}); or nothing at all (a skipped sync:
 * {@code BATON_SKIP_FULL_SYNC}). Each resource type decides from its scope what it reads (users are read for the role
 * and license grants too). Only a {@link #full()} sync moves the drop guard's baseline.
 *
 * @param types the types covered
 * @param targets the resources of a targeted sync (then {@code types} are theirs), else none
 * @param skipped a skipped sync: Seismic's credentials are checked, nothing is read (baton's {@code SkipSync})
 * @param known every type the connector has, in its order
 */
public record SyncScope(Set<String> types, boolean skipGrants, boolean skipEntitlementsAndGrants, List<Target> targets,
                        boolean skipped, List<String> known) {

    /** One resource of a targeted sync: baton's resource id {@code bid:r:<type>/<id>}. */
    public record Target(String type, String id) {
        static final String PREFIX = "bid:r:";

        /**
         * A resource id as baton writes it ({@code bid:r:group/3f2a…}, a backslash escaping the next character); anything
         * else is an {@link IllegalArgumentException} saying what was expected.
         */
        public static Target parse(String bid) {
            String s = bid == null ? "" : bid.trim();
            List<String> parts = s.startsWith(PREFIX) ? split(s.substring(PREFIX.length())) : List.of();
            if (parts.size() != 2 || parts.get(0).isEmpty() || parts.get(1).isEmpty()) {
                throw new IllegalArgumentException("'" + s + "' is not a baton resource id: expected bid:r:<type>/<id>, e.g. bid:r:group/"
                        + "8f2d6c1e-52e4-4d8a-9a9f-0f4c6f0b8a11");
            }
            return new Target(parts.get(0), parts.get(1));
        }

        private static List<String> split(String s) {
            List<String> parts = new java.util.ArrayList<>();
            StringBuilder part = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    part.append(s.charAt(++i));
                } else if (c == '/') {
                    parts.add(part.toString());
                    part.setLength(0);
                } else {
                    part.append(c);
                }
            }
            parts.add(part.toString());
            return parts;
        }

        @Override
        public String toString() {
            return PREFIX + type + "/" + id;
        }
    }

    public SyncScope {
        types = Set.copyOf(types);
        targets = List.copyOf(targets);
        known = List.copyOf(known);
    }

    /** Every type, with entitlements and grants. */
    public static SyncScope full(List<String> known) {
        return new SyncScope(Set.copyOf(known), false, false, List.of(), false, known);
    }

    /** A skipped sync (baton's {@code --skip-full-sync}): it checks the credentials and finishes with nothing read. */
    public static SyncScope skip(List<String> known) {
        return new SyncScope(Set.of(), false, false, List.of(), true, known);
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
        return new SyncScope(types.isEmpty() ? Set.copyOf(known) : types, skipGrants, skipEntitlementsAndGrants, List.of(), false, known);
    }

    /**
     * This scope narrowed to the given resources (none: unchanged); their types must be known, and are checked by the
     * caller for whether they can be read one by one ({@code ResourceUnits.targets}).
     */
    public SyncScope targeting(List<Target> resources) {
        if (resources.isEmpty()) {
            return this;
        }
        Set<String> theirs = new LinkedHashSet<>();
        for (Target t : resources) {
            if (!known.contains(t.type())) {
                throw new IllegalArgumentException("unknown resource type '" + t.type() + "' in " + t + ": this connector syncs "
                        + String.join(", ", known));
            }
            theirs.add(t.type());
        }
        return new SyncScope(theirs, skipGrants, skipEntitlementsAndGrants, List.copyOf(new LinkedHashSet<>(resources)), false, known);
    }

    /** Every type, with entitlements and grants. */
    public boolean full() {
        return types.containsAll(known) && !skipGrants && !skipEntitlementsAndGrants && targets.isEmpty() && !skipped;
    }

    /** Given resources only, each read by itself. */
    public boolean targeted() {
        return !targets.isEmpty();
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

    /**
     * baton's sync type for this scope (the {@code .c1z}'s sync run): full, resources_only, or partial. A skipped sync is
     * {@code full}, as baton-sdk's {@code SkipSync} writes it (pkg/sync/syncer.go), and a targeted one {@code partial}.
     */
    public String batonSyncType() {
        if (skipped || full()) {
            return SyncSink.FULL;
        }
        return skipEntitlementsAndGrants && !targeted() ? SyncSink.RESOURCES_ONLY : SyncSink.PARTIAL;
    }

    /** A short description for logs and the sync's status: "full", or what it covers. */
    public String describe() {
        if (skipped) {
            return "skipped (BATON_SKIP_FULL_SYNC: Seismic's credentials checked, nothing read)";
        }
        if (full()) {
            return "full";
        }
        String what = targeted() ? "targeted: " + targets.stream().map(Target::toString).collect(Collectors.joining(","))
                : known.stream().filter(types::contains).collect(Collectors.joining(","));
        return what + (skipEntitlementsAndGrants ? ", no entitlements or grants" : skipGrants ? ", no grants" : "");
    }
}
