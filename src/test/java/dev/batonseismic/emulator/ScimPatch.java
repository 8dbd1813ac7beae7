package dev.batonseismic.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** Seismic's PatchOp: {@code replace} only, for users and groups. Anything else is a 400. */
final class ScimPatch {
    private ScimPatch() {}

    /** Validates the envelope and returns the operations array. */
    static JsonNode operations(JsonNode body) {
        ScimCodec.requireSchema(body, ScimCodec.PATCH_OP);
        JsonNode ops = body.get("Operations");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            throw ScimError.invalidValue("Operations is required (at least one)");
        }
        for (JsonNode op : ops) {
            String name = ScimCodec.text(op, "op");
            if (name == null || !name.equalsIgnoreCase("replace")) {
                throw ScimError.invalidValue("op " + name + " is not supported: Seismic supports only replace");
            }
            if (!op.has("value")) {
                throw ScimError.invalidValue("replace needs a value");
            }
        }
        return ops;
    }

    static void applyToUser(JsonNode ops, EmulatorUser u, ScimCodec codec, Predicate<String> validRole, Instant now) {
        for (JsonNode op : ops) {
            String path = ScimCodec.text(op, "path");
            JsonNode value = op.get("value");
            if (path == null) {
                if (!value.isObject()) {
                    throw ScimError.invalidValue("replace without path needs an object value");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (f.getKey().equals("name") && f.getValue().isObject()) {
                        f.getValue().fields().forEachRemaining(n -> replaceUserAttribute("name." + n.getKey(), n.getValue(), u, codec, validRole, now));
                    } else {
                        replaceUserAttribute(f.getKey(), f.getValue(), u, codec, validRole, now);
                    }
                }
            } else {
                replaceUserAttribute(path, value, u, codec, validRole, now);
            }
        }
    }

    private static void replaceUserAttribute(String path, JsonNode value, EmulatorUser u, ScimCodec codec,
                                             Predicate<String> validRole, Instant now) {
        switch (path.toLowerCase(Locale.ROOT)) {
            case "active" -> {
                if (!value.isBoolean()) {
                    throw ScimError.invalidValue("active must be a boolean");
                }
                if (u.active && !value.asBoolean()) {
                    u.deactivatedTime = now;
                } else if (value.asBoolean()) {
                    u.deactivatedTime = null;
                }
                u.active = value.asBoolean();
            }
            case "roles" -> u.roles = codec.roles(value, validRole);
            case "emails" -> u.emails = codec.emails(value);
            case "username" -> {
                if (value.asText().isBlank()) {
                    throw ScimError.invalidValue("userName must not be empty");
                }
                u.userName = value.asText();
            }
            case "usertype" -> u.userType = value.asText();
            case "title" -> u.title = nullable(value);
            case "externalid" -> u.externalId = nullable(value);
            case "preferredlanguage" -> u.preferredLanguage = nullable(value);
            case "timezone" -> u.timezone = nullable(value);
            case "name.givenname" -> u.givenName = nullable(value);
            case "name.familyname" -> u.familyName = nullable(value);
            default -> throw ScimError.invalidValue("attribute " + path + " cannot be replaced");
        }
    }

    static void applyToGroup(JsonNode ops, EmulatorGroup g) {
        for (JsonNode op : ops) {
            String path = ScimCodec.text(op, "path");
            JsonNode value = op.get("value");
            if (path == null && value.isObject()) {
                value.fields().forEachRemaining(f -> replaceGroupAttribute(f.getKey(), f.getValue(), g));
            } else {
                replaceGroupAttribute(path == null ? "" : path, value, g);
            }
        }
    }

    private static void replaceGroupAttribute(String path, JsonNode value, EmulatorGroup g) {
        switch (path.toLowerCase(Locale.ROOT)) {
            case "displayname" -> g.displayName = ScimGroups.validDisplayName(value.asText());
            case "externalid" -> g.externalId = ScimGroups.validExternalId(nullable(value));
            case "members" -> throw ScimError.invalidValue(
                    "membership is not changed by PATCH: use POST/DELETE /Users/{userId}/Groups/{groupId}");
            default -> throw ScimError.invalidValue("attribute " + path + " cannot be replaced");
        }
    }

    private static String nullable(JsonNode v) {
        return v == null || v.isNull() ? null : v.asText();
    }
}
