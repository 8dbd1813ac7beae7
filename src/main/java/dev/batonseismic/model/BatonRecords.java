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
 * Builds baton's records (c1.connector.v2 ResourceType, Resource, Entitlement, Grant) in protobuf JSON form, with
 * baton's id contract byte for byte: resources {@code user:<id>}, entitlements {@code group:<gid>:member},
 * {@code role:<id>:assigned}, {@code license:<tier>:assigned}, grants {@code <entitlement id>:user:<uid>}.
 * Trait fields and resource-level fields are both set, consistently (old and new baton readers).
 */
@org.springframework.stereotype.Component
public final class BatonRecords {
    public static final String USER = "user";
    public static final String GROUP = "group";
    public static final String ROLE = "role";
    public static final String LICENSE = "license";
    private static final String TYPE_PREFIX = "type.googleapis.com/c1.connector.v2.";
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String SEISMIC = "urn:ietf:params:scim:schemas:extension:seismic:2.0:User";

    private final ObjectMapper json;

    public BatonRecords(ObjectMapper json) {
        this.json = json;
    }

    // ---- resource types ----

    public List<ObjectNode> resourceTypes() {
        return List.of(resourceType(USER, "User", "TRAIT_USER", true), resourceType(GROUP, "Group", "TRAIT_GROUP", false),
                resourceType(ROLE, "Role", "TRAIT_ROLE", false), resourceType(LICENSE, "License", "TRAIT_LICENSE_PROFILE", false));
    }

    private ObjectNode resourceType(String id, String name, String trait, boolean skipEntitlements) {
        ObjectNode n = json.createObjectNode();
        n.put("id", id);
        n.put("displayName", name);
        n.putArray("traits").add(trait);
        if (skipEntitlements) {
            n.putArray("annotations").addObject().put("@type", TYPE_PREFIX + "SkipEntitlementsAndGrants");
        }
        return n;
    }

    private ObjectNode userType() {
        ObjectNode n = json.createObjectNode();
        n.put("id", USER);
        n.put("displayName", "User");
        n.putArray("traits").add("TRAIT_USER");
        return n;
    }

    // ---- resources ----

    /**
     * A Seismic SCIM user as a baton user: status from {@code active}, login = userName, all emails, a profile. The
     * tree of {@link #userJson}'s text (users are the bulk of a sync's resources and are written straight to JSON).
     */
    public ObjectNode user(JsonNode u) {
        try {
            return (ObjectNode) json.readTree(userJson(u));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #user} as protobuf JSON text (UTF-8), written without building the resource's tree. */
    public byte[] userJson(JsonNode u) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1536);
        try (JsonGenerator g = json.createGenerator(out)) {
            writeUser(u, g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write user " + u.path("id").asText() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private void writeUser(JsonNode u, JsonGenerator g) throws IOException {
        String id = u.path("id").asText();
        JsonNode name = u.path("name");
        String given = text(name, "givenName");
        String family = text(name, "familyName");
        String userName = text(u, "userName");
        boolean active = u.path("active").asBoolean(true);
        // a tree: the Seismic extension may name a standard field again, and then replaces its value in place
        ObjectNode profile = json.createObjectNode();
        putIfSet(profile, "userName", userName);
        putIfSet(profile, "givenName", given);
        putIfSet(profile, "familyName", family);
        putIfSet(profile, "title", text(u, "title"));
        putIfSet(profile, "userType", text(u, "userType"));
        putIfSet(profile, "preferredLanguage", text(u, "preferredLanguage"));
        putIfSet(profile, "timezone", text(u, "timezone"));
        putIfSet(profile, "externalId", text(u, "externalId"));
        JsonNode ent = u.path(ENTERPRISE);
        putIfSet(profile, "department", text(ent, "department"));
        putIfSet(profile, "costCenter", text(ent, "costCenter"));
        putIfSet(profile, "organization", text(ent, "organization"));
        u.path(SEISMIC).fields().forEachRemaining(f -> profile.put(f.getKey(), f.getValue().asText()));
        profile.put("active", active);
        String created = timestamp(text(u.path("meta"), "created"));

        g.writeStartObject();
        writeResourceId(g, USER, id);
        g.writeStringField("displayName", displayName(given, family, userName));
        g.writeArrayFieldStart("annotations");
        g.writeStartObject();
        g.writeStringField("@type", TYPE_PREFIX + "UserTrait");
        g.writeArrayFieldStart("emails");
        for (JsonNode e : u.path("emails")) {
            g.writeStartObject();
            g.writeStringField("address", e.path("value").asText());
            if (e.path("primary").asBoolean(false)) {
                g.writeBooleanField("isPrimary", true);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        writeStatus(g, active ? "STATUS_ENABLED" : "STATUS_DISABLED");
        writeProfile(g, profile);
        g.writeStringField("accountType", "ACCOUNT_TYPE_HUMAN");
        writeIfSet(g, "login", userName);
        if (given != null || family != null) {
            g.writeObjectFieldStart("structuredName");
            writeIfSet(g, "givenName", given);
            writeIfSet(g, "familyName", family);
            g.writeEndObject();
        }
        writeIfSet(g, "createdAt", created);
        g.writeEndObject();
        g.writeEndArray();
        writeProfile(g, profile);
        writeStatus(g, active ? "RESOURCE_STATUS_ENABLED" : "RESOURCE_STATUS_DISABLED");
        writeIfSet(g, "createdAt", created);
        g.writeEndObject();
    }

    /** A user's profile: text fields and {@code active} (written as the tree would be, without a serializer per call). */
    private static void writeProfile(JsonGenerator g, ObjectNode profile) throws IOException {
        g.writeObjectFieldStart("profile");
        for (Iterator<Map.Entry<String, JsonNode>> fields = profile.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isBoolean()) {
                g.writeBooleanField(f.getKey(), f.getValue().booleanValue());
            } else {
                g.writeStringField(f.getKey(), f.getValue().textValue());
            }
        }
        g.writeEndObject();
    }

    private static void writeResourceId(JsonGenerator g, String type, String id) throws IOException {
        g.writeObjectFieldStart("id");
        g.writeStringField("resourceType", type);
        g.writeStringField("resource", id);
        g.writeEndObject();
    }

    private static void writeStatus(JsonGenerator g, String status) throws IOException {
        g.writeObjectFieldStart("status");
        g.writeStringField("status", status);
        g.writeEndObject();
    }

    private static void writeIfSet(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    public ObjectNode group(JsonNode g) {
        String displayName = text(g, "displayName");
        ObjectNode profile = json.createObjectNode();
        putIfSet(profile, "displayName", displayName);
        putIfSet(profile, "externalId", text(g, "externalId"));
        ObjectNode r = resource(GROUP, g.path("id").asText(), displayName == null ? g.path("id").asText() : displayName);
        annotation(r, "GroupTrait").set("profile", profile);
        r.set("profile", profile.deepCopy());
        String created = timestamp(text(g.path("meta"), "created"));
        if (created != null) {
            r.put("createdAt", created);
        }
        return r;
    }

    public ObjectNode role(String roleId, String name, String description) {
        ObjectNode profile = json.createObjectNode();
        profile.put("name", name);
        putIfSet(profile, "description", description);
        ObjectNode r = resource(ROLE, roleId, name);
        putIfSet(r, "description", description);
        annotation(r, "RoleTrait").set("profile", profile);
        r.set("profile", profile.deepCopy());
        return r;
    }

    public ObjectNode license(String tier) {
        ObjectNode r = resource(LICENSE, tier, tier + " license");
        r.put("description", "Seismic " + tier + " content license (the user's userType)");
        ObjectNode trait = annotation(r, "LicenseProfileTrait");
        trait.put("licenseName", tier);
        trait.putArray("entitlementIds").add(entitlementId(LICENSE, tier, "assigned"));
        return r;
    }

    // ---- entitlements and grants ----

    public ObjectNode groupMember(ObjectNode group) {
        return entitlement(group, "member", group.path("displayName").asText() + " Group Member",
                "Member of the " + group.path("displayName").asText() + " group in Seismic");
    }

    public ObjectNode roleAssigned(ObjectNode role) {
        return entitlement(role, "assigned", role.path("displayName").asText() + " Role",
                "Has the " + role.path("displayName").asText() + " role in Seismic");
    }

    public ObjectNode licenseAssigned(ObjectNode license) {
        return entitlement(license, "assigned", license.path("displayName").asText(),
                "Holds a Seismic " + license.path("id").path("resource").asText() + " license");
    }

    private ObjectNode entitlement(ObjectNode resource, String slug, String displayName, String description) {
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

    private ObjectNode resource(String type, String id, String displayName) {
        ObjectNode r = json.createObjectNode();
        r.set("id", resourceId(type, id));
        r.put("displayName", displayName);
        return r;
    }

    private ObjectNode resourceId(String type, String id) {
        return json.createObjectNode().put("resourceType", type).put("resource", id);
    }

    private static ObjectNode annotation(ObjectNode resource, String trait) {
        ArrayNode annotations = resource.has("annotations") ? (ArrayNode) resource.get("annotations") : resource.putArray("annotations");
        return annotations.addObject().put("@type", TYPE_PREFIX + trait);
    }

    private static String displayName(String given, String family, String userName) {
        String full = ((given == null ? "" : given) + " " + (family == null ? "" : family)).trim();
        return full.isEmpty() ? userName : full;
    }

    /**
     * A SCIM date-time as a protobuf JSON Timestamp (RFC 3339 in UTC), or null when it is missing or not a date-time
     * with a zone: a Timestamp cannot hold anything else, and the c1z sink would refuse the record. A date-time already
     * in that form (what Seismic sends) is taken as it is.
     */
    static String timestamp(String scim) {
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

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
