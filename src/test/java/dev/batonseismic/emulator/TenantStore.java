package dev.batonseismic.emulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The emulated tenant's state: users, groups, memberships and the role catalog.
 * Listing order is insertion order (Seismic documents no sorting). All access goes through one read-write lock.
 */
final class TenantStore {
    /** Seismic's content tiers: valid SCIM role values and userTypes, never catalog roles. */
    static final List<String> CONTENT_TIERS = List.of("Business", "Premium", "Partner");

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Clock clock;
    private final List<String> userOrder = new ArrayList<>();
    private final Map<String, EmulatorUser> users = new HashMap<>();
    private final Map<String, String> userIdByLowerName = new HashMap<>();
    private final Map<String, Set<String>> groupIdsByUser = new HashMap<>();
    private final LinkedHashMap<String, EmulatorGroup> groups = new LinkedHashMap<>();
    private final List<String> groupOrder = new ArrayList<>();
    private final List<CatalogRole> catalog = new ArrayList<>();

    TenantStore(Clock clock) {
        this.clock = clock;
    }

    record Page<T>(int totalResults, int startIndex, List<T> resources) {}

    // ---- bulk load (generator) ----

    void replaceAll(Collection<EmulatorUser> newUsers, Collection<EmulatorGroup> newGroups, Collection<CatalogRole> roles) {
        write(() -> {
            userOrder.clear();
            users.clear();
            userIdByLowerName.clear();
            groupIdsByUser.clear();
            groups.clear();
            groupOrder.clear();
            catalog.clear();
            catalog.addAll(roles);
            for (EmulatorUser u : newUsers) {
                putUser(u);
            }
            for (EmulatorGroup g : newGroups) {
                groups.put(g.id, g);
                groupOrder.add(g.id);
                for (String uid : g.memberIds) {
                    groupIdsByUser.computeIfAbsent(uid, k -> new LinkedHashSet<>()).add(g.id);
                }
            }
        });
    }

    private void putUser(EmulatorUser u) {
        users.put(u.id, u);
        userOrder.add(u.id);
        userIdByLowerName.put(u.userName.toLowerCase(Locale.ROOT), u.id);
    }

    // ---- users ----

    Page<EmulatorUser> listUsers(Predicate<EmulatorUser> filter, int startIndex, int count) {
        return read(() -> filter == null
                ? slice(userOrder, users::get, startIndex, count)
                : slice(userOrder.stream().map(users::get).filter(filter).toList(), Function.identity(), startIndex, count));
    }

    <R> R withUser(String id, Function<EmulatorUser, R> reader) {
        return read(() -> reader.apply(requireUser(id)));
    }

    EmulatorUser createUser(EmulatorUser u) {
        return write(() -> {
            requireUniqueUserName(u.userName, null);
            putUser(u);
            return u;
        });
    }

    /** Applies a change to a user under the write lock; the change may rename it (uniqueness is rechecked). */
    <R> R updateUser(String id, Function<EmulatorUser, R> change) {
        return write(() -> {
            EmulatorUser u = requireUser(id);
            String oldName = u.userName;
            R result;
            u.version++; // what the change renders of the user is rendered anew, not taken from before it
            try {
                result = change.apply(u);
            } finally {
                u.version++; // and nothing rendered during the change is taken afterwards, even if it failed half-way
            }
            if (!oldName.equalsIgnoreCase(u.userName)) {
                String newName = u.userName;
                u.userName = oldName;
                requireUniqueUserName(newName, id);
                u.userName = newName;
                userIdByLowerName.remove(oldName.toLowerCase(Locale.ROOT));
                userIdByLowerName.put(newName.toLowerCase(Locale.ROOT), id);
            }
            u.lastModified = clock.instant();
            return result;
        });
    }

    void deleteUser(String id) {
        write(() -> {
            EmulatorUser u = requireUser(id);
            users.remove(id);
            userOrder.remove(id);
            userIdByLowerName.remove(u.userName.toLowerCase(Locale.ROOT));
            Set<String> memberOf = groupIdsByUser.remove(id);
            if (memberOf != null) {
                memberOf.forEach(gid -> groups.get(gid).memberIds.remove(id));
            }
        });
    }

    private void requireUniqueUserName(String userName, String exceptId) {
        String holder = userIdByLowerName.get(userName.toLowerCase(Locale.ROOT));
        if (holder != null && !holder.equals(exceptId)) {
            throw ScimError.uniqueness("userName " + userName + " is already taken");
        }
    }

    private EmulatorUser requireUser(String id) {
        EmulatorUser u = users.get(id);
        if (u == null) {
            throw ScimError.notFound("User", id);
        }
        return u;
    }

    // ---- groups ----

    Page<EmulatorGroup> listGroups(Predicate<EmulatorGroup> filter, int startIndex, int count) {
        return read(() -> filter == null
                ? slice(groupOrder, groups::get, startIndex, count)
                : slice(groupOrder.stream().map(groups::get).filter(filter).toList(), Function.identity(), startIndex, count));
    }

    <R> R withGroup(String id, Function<EmulatorGroup, R> reader) {
        return read(() -> reader.apply(requireGroup(id)));
    }

    EmulatorGroup createGroup(EmulatorGroup g) {
        return write(() -> {
            requireUniqueGroupName(g.displayName, null);
            groups.put(g.id, g);
            groupOrder.add(g.id);
            return g;
        });
    }

    <R> R updateGroup(String id, Function<EmulatorGroup, R> change) {
        return write(() -> {
            EmulatorGroup g = requireGroup(id);
            R result = change.apply(g);
            requireUniqueGroupName(g.displayName, id);
            g.lastModified = clock.instant();
            return result;
        });
    }

    void deleteGroup(String id) {
        write(() -> {
            EmulatorGroup g = requireGroup(id);
            groups.remove(id);
            groupOrder.remove(id);
            g.memberIds.forEach(uid -> groupIdsByUser.get(uid).remove(id));
        });
    }

    private void requireUniqueGroupName(String displayName, String exceptId) {
        for (EmulatorGroup g : groups.values()) {
            if (!g.id.equals(exceptId) && g.displayName.equalsIgnoreCase(displayName)) {
                throw ScimError.uniqueness("group displayName " + displayName + " is already taken");
            }
        }
    }

    private EmulatorGroup requireGroup(String id) {
        EmulatorGroup g = groups.get(id);
        if (g == null) {
            throw ScimError.notFound("Group", id);
        }
        return g;
    }

    // ---- memberships ----

    Page<EmulatorUser> groupMembers(String groupId, int startIndex, int count) {
        return read(() -> slice(requireGroup(groupId).memberIds, users::get, startIndex, count));
    }

    Page<EmulatorGroup> userGroups(String userId, int startIndex, int count) {
        return read(() -> {
            requireUser(userId);
            return slice(groupIdsByUser.getOrDefault(userId, Set.of()), groups::get, startIndex, count);
        });
    }

    /** Adds a member; adding an existing member is a no-op (the emulator's documented assumption). */
    void addMember(String userId, String groupId) {
        write(() -> {
            requireUser(userId);
            EmulatorGroup g = requireGroup(groupId);
            if (g.memberIds.add(userId)) {
                groupIdsByUser.computeIfAbsent(userId, k -> new LinkedHashSet<>()).add(groupId);
            }
        });
    }

    /** Removes a member; removing a non-member is a no-op. */
    void removeMember(String userId, String groupId) {
        write(() -> {
            requireUser(userId);
            EmulatorGroup g = requireGroup(groupId);
            if (g.memberIds.remove(userId)) {
                groupIdsByUser.get(userId).remove(groupId);
            }
        });
    }

    // ---- role catalog ----

    List<CatalogRole> catalog() {
        return read(() -> List.copyOf(catalog));
    }

    void addCatalogRole(CatalogRole role) {
        write(() -> catalog.add(role));
    }

    /** Names a SCIM role value may take: non-deleted catalog roles and the content tiers. Case-sensitive. */
    boolean isValidRoleValue(String value) {
        return CONTENT_TIERS.contains(value)
                || read(() -> catalog.stream().anyMatch(r -> !r.isDeleted() && r.name().equals(value)));
    }

    /** Runs a reader over every user and group under the read lock (ground truth, reporting). */
    void scan(Consumer<Collection<EmulatorUser>> userReader, Consumer<Collection<EmulatorGroup>> groupReader) {
        read(() -> {
            List<EmulatorUser> ordered = new ArrayList<>(userOrder.size());
            userOrder.forEach(id -> ordered.add(users.get(id)));
            userReader.accept(ordered);
            groupReader.accept(groupOrder.stream().map(groups::get).toList());
            return null;
        });
    }

    int userCount() {
        return read(users::size);
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    Instant now() {
        return clock.instant();
    }

    // ---- paging and locking ----

    /** SCIM paging over an ordered collection: 1-based startIndex, count already normalised (0..100). */
    private static <K, T> Page<T> slice(Collection<K> keys, Function<K, T> lookup, int startIndex, int count) {
        int total = keys.size();
        List<T> out = new ArrayList<>(Math.min(count, Math.max(0, total - startIndex + 1)));
        if (count > 0 && startIndex <= total) {
            if (keys instanceof List<K> list) {
                int from = startIndex - 1;
                int to = Math.min(total, from + count);
                for (int i = from; i < to; i++) {
                    out.add(lookup.apply(list.get(i)));
                }
            } else {
                Iterator<K> it = keys.iterator();
                for (int skip = startIndex - 1; skip > 0; skip--) {
                    it.next();
                }
                while (it.hasNext() && out.size() < count) {
                    out.add(lookup.apply(it.next()));
                }
            }
        }
        return new Page<>(total, startIndex, out);
    }

    private <R> R read(java.util.function.Supplier<R> body) {
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <R> R write(java.util.function.Supplier<R> body) {
        lock.writeLock().lock();
        try {
            return body.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void write(Runnable body) {
        write(() -> {
            body.run();
            return null;
        });
    }
}
