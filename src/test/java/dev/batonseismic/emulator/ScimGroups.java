package dev.batonseismic.emulator;

import com.fasterxml.jackson.databind.JsonNode;

/** Validation rules of a SCIM group body (Seismic: displayName required, externalId at most 255 chars). */
final class ScimGroups {
    private ScimGroups() {}

    static void applyFullGroup(JsonNode body, EmulatorGroup g) {
        ScimCodec.requireSchema(body, ScimCodec.GROUP_SCHEMA);
        g.displayName = validDisplayName(ScimCodec.text(body, "displayName"));
        g.externalId = validExternalId(ScimCodec.text(body, "externalId"));
    }

    static String validDisplayName(String name) {
        if (name == null || name.isEmpty()) {
            throw ScimError.invalidValue("displayName is required");
        }
        return name;
    }

    static String validExternalId(String externalId) {
        if (externalId != null && externalId.length() > 255) {
            throw ScimError.invalidValue("externalId must be at most 255 characters");
        }
        return externalId;
    }
}
