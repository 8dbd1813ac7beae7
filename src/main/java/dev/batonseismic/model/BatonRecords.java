package dev.batonseismic.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The pieces every resource type builds its baton records from (c1.connector.v2 ResourceType, Resource, Entitlement,
 * Grant, in protobuf JSON form), with baton's id contract byte for byte: resources {@code <type>:<id>}, entitlements
 * {@code <type>:<id>:<slug>}, grants {@code <entitlement id>:user:<uid>}. Each type's own records are in its class
 * under {@code resources/}.
 */
@org.springframework.stereotype.Component
public final class BatonRecords {
    /** The principal type of every grant: Seismic grants access to users only. */
    public static final String USER = "user";
    public static final String TYPE_PREFIX = "type.googleapis.com/c1.connector.v2.";

    private final ObjectMapper json;

    public BatonRecords(ObjectMapper json) {
        this.json = json;
    }

    // ---- resource types and resources ----

    /** A baton ResourceType: id, display name, its trait, and for a principal type the annotation that it has no entitlements. */
    public ObjectNode resourceType(String id, String name, String trait, boolean skipEntitlements) {
        ObjectNode n = json.createObjectNode();
        n.put("id", id);
        n.put("displayName", name);
        n.putArray("traits").add(trait);
        if (skipEntitlements) {
            n.putArray("annotations").addObject().put("@type", TYPE_PREFIX + "SkipEntitlementsAndGrants");
        }
        return n;
    }

    /** A resource: its id ({@code <type>:<id>}) and display name; traits and profile are the caller's. */
    public ObjectNode resource(String type, String id, String displayName) {
        ObjectNode r = json.createObjectNode();
        r.set("id", resourceId(type, id));
        r.put("displayName", displayName);
        return r;
    }

    /** Adds a trait annotation ({@code @type} {@code c1.connector.v2.<trait>}) to a resource and answers it. */
    public static ObjectNode annotation(ObjectNode resource, String trait) {
        ArrayNode annotations = resource.has("annotations") ? (ArrayNode) resource.get("annotations") : resource.putArray("annotations");
        return annotations.addObject().put("@type", TYPE_PREFIX + trait);
    }

    private ObjectNode userType() {
        ObjectNode n = json.createObjectNode();
        n.put("id", USER);
        n.put("displayName", "User");
        n.putArray("traits").add("TRAIT_USER");
        return n;
    }

    // ---- entitlements and grants ----

    /** The resource's entitlement {@code <type>:<id>:<slug>}: an assignment, grantable to users. */
    public ObjectNode entitlement(ObjectNode resource, String slug, String displayName, String description) {
        ObjectNode e = json.createObjectNode();
        JsonNode id = resource.get("id");
        e.set("resource", resource);
        e.put("id", entitlementId(id.get("resourceType").asText(), id.get("resource").asText(), slug));
        e.put("displayName", displayName);
        e.put("description", description);
        e.putArray("grantableTo").add(userType());
        e.put("purpose", "PURPOSE_VALUE_ASSIGNMENT");
        e.put("slug", slug);
        return e;
    }

    /** A grant of {@code <type>:<resourceId>:<slug>} to user {@code userId}. */
    public ObjectNode grant(String type, String resourceId, String slug, String userId) {
        return grant(new BatonGrant(type, resourceId, slug, userId));
    }

    /** The grant as a JSON tree: {@code entitlement} (id and resource id), {@code principal} (its id), {@code id}. */
    public ObjectNode grant(BatonGrant grant) {
        ObjectNode g = json.createObjectNode();
        ObjectNode ent = g.putObject("entitlement");
        ent.put("id", grant.entitlementId());
        ent.putObject("resource").set("id", resourceId(grant.type(), grant.resourceId()));
        g.putObject("principal").set("id", resourceId(USER, grant.userId()));
        g.put("id", grant.id());
        return g;
    }

    public static String entitlementId(String type, String resourceId, String slug) {
        return type + ":" + resourceId + ":" + slug;
    }

    public static String grantId(String entitlementId, String principalType, String principalId) {
        return entitlementId + ":" + principalType + ":" + principalId;
    }

    // ---- helpers ----

    private ObjectNode resourceId(String type, String id) {
        return json.createObjectNode().put("resourceType", type).put("resource", id);
    }

    /**
     * A SCIM date-time as a protobuf JSON Timestamp (RFC 3339 in UTC), or null when it is missing or not a date-time
     * with a zone: a Timestamp cannot hold anything else, and the c1z sink would refuse the record. A date-time already
     * in that form (what Seismic sends) is taken as it is.
     */
    public static String timestamp(String scim) {
        if (scim == null) {
            return null;
        }
        if (canonicalUtc(scim)) {
            return scim;
        }
        try {
            return java.time.OffsetDateTime.parse(scim).toInstant().toString();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Whether a date-time is exactly what {@link java.time.Instant#toString} writes for it: {@code yyyy-MM-ddTHH:mm:ssZ},
     * or with milliseconds other than {@code .000}, for a real day and time (parsing it is most of a user's cost).
     */
    private static boolean canonicalUtc(String s) {
        int n = s.length();
        if (n != 20 && n != 24 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || n == 24 && (s.charAt(19) != '.' || s.startsWith("000", 20))) {
            return false;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= java.time.Month.of(month).length(java.time.Year.isLeap(year))
                && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && (n == 20 || digits(s, 20, 3) >= 0);
    }

    /** The decimal number in {@code s} at {@code from}, {@code count} ASCII digits, or -1. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** A field's text, or null when it is missing or null. */
    public static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    public static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
