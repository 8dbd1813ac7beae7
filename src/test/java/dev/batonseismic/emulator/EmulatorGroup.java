package dev.batonseismic.emulator;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** A SCIM group held by the emulator; its members are user ids in insertion order. */
final class EmulatorGroup {
    final String id;
    String displayName;
    String externalId;
    final Instant created;
    Instant lastModified;
    final Set<String> memberIds = new LinkedHashSet<>();

    EmulatorGroup(String id, String displayName, Instant created) {
        this.id = id;
        this.displayName = displayName;
        this.created = created;
        this.lastModified = created;
    }
}
