package dev.batonseismic.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.baton.v2.Capability;
import dev.batonseismic.sync.SyncRun;
import dev.batonseismic.sync.SyncScope;
import java.util.Set;

/**
 * One Seismic resource type in baton's model, and everything about it: its baton records, how the sync reads it (its
 * routes in {@code routes/resource-<type>s.yaml}), the grants it derives, the provisioning operations it offers and
 * what ConductorOne is told it supports. Each type is one class, registered in {@link ResourceUnits}' one list.
 */
public interface ResourceUnit {
    /** When a sync reads a type from Seismic. */
    enum SyncRead {
        /** Before the listings: what their records refer to (the role catalog). */
        CATALOG,
        /** Side by side with the other listings (users, groups). */
        LISTING,
        /** Not read: derived from what the others read (license tiers from users). */
        DERIVED
    }

    /** baton's resource type id: {@code user}, {@code group}, … */
    String type();

    /** The baton ResourceType record. */
    ObjectNode resourceType();

    SyncRead syncRead();

    /** The endpoint that reads the type ({@code direct:sync-<…>-fetch}), for CATALOG and LISTING types. */
    default String fetchEndpoint() {
        return null;
    }

    /**
     * The endpoint that reads one resource of the type by its id, for a targeted sync ({@code direct:sync-<type>-target},
     * body: the {@link dev.batonseismic.sync.SyncScope.Target}), or null when Seismic cannot give one resource of the type
     * with its grants without the whole listing (then the type cannot be targeted).
     */
    default String targetEndpoint() {
        return null;
    }

    /** Whether a sync of this scope reads the type (by default: when the scope covers it); {@code all} for what others need. */
    default boolean readBy(SyncScope scope, ResourceUnits all) {
        return scope.includes(type());
    }

    /** Whether this type's grants come from the SCIM user records ({@link #fromUser}), so users are read for them. */
    default boolean derivesFromUsers() {
        return false;
    }

    /** The grants this type derives from one SCIM user record (called only when the scope wants grants). */
    default void fromUser(JsonNode user, String uid, SyncRun run) {
    }

    /** After the listings: the records derived from what was read (role and license resources). */
    default void endOfSync(SyncRun run) {
    }

    /** Whether the drop guard compares this type's count with the last good sync. */
    default boolean guarded() {
        return false;
    }

    /**
     * The provisioning route ({@code direct:provisioning-<kind>}) that grants or revokes the entitlement
     * {@code <type>:<id>:<slug>}, or null when the type has no such entitlement.
     */
    default String provisioningKind(String slug, boolean grant) {
        return null;
    }


    /** The slug of the type's entitlement ({@code <type>:<id>:<slug>}), or null when it has none. */
    default String entitlementSlug() {
        return null;
    }

    /** A resource id of this type from a provisioning request, checked (a 400 when malformed). */
    default String checkedId(String id) {
        return id;
    }

    /** What ConductorOne is told the type supports, with provisioning on or off. */
    Set<Capability> capabilities(boolean provisioning);
}
