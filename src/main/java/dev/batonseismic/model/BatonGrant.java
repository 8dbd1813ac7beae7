package dev.batonseismic.model;

/**
 * A baton Grant of entitlement {@code <type>:<resourceId>:<slug>} to user {@code userId}: four in five of a sync's
 * records, so it is kept as its ids and each sink writes it straight to its own form (JSON text, a protobuf message)
 * instead of through a JSON tree. {@link BatonRecords#grant} gives the same record as a tree.
 */
public record BatonGrant(String type, String resourceId, String slug, String userId) {

    /** {@code <type>:<resourceId>:<slug>} */
    public String entitlementId() {
        return BatonRecords.entitlementId(type, resourceId, slug);
    }

    /** {@code <entitlement id>:user:<userId>} */
    public String id() {
        return BatonRecords.grantId(entitlementId(), BatonRecords.USER, userId);
    }
}
