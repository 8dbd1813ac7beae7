package dev.batonseismic.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A SCIM user held by the emulator. Mutable: SCIM PUT and PATCH change it in place under the store lock. */
final class EmulatorUser {
    final String id;
    String externalId;
    String userName;
    String givenName;
    String familyName;
    String title;
    String userType;
    String preferredLanguage;
    String timezone;
    boolean active = true;
    List<Email> emails = List.of();
    List<String> roles = List.of();
    String department;
    String costCenter;
    String organization;
    Map<String, String> customProperties = Map.of();
    Instant deactivatedTime;
    final Instant created;
    Instant lastModified;
    /** Bumped before and after every change ({@link TenantStore#updateUser}): what was rendered at another version is stale. */
    volatile long version;
    /** The user's SCIM JSON as last rendered ({@link ScimCodec#writeUser}), or null. */
    volatile ScimCodec.Rendered rendered;

    EmulatorUser(String id, Instant created) {
        this.id = id;
        this.created = created;
        this.lastModified = created;
    }

    record Email(String value, String type, boolean primary) {}
}
