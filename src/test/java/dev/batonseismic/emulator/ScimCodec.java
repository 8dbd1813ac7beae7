package dev.batonseismic.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Renders emulator resources as Seismic's SCIM JSON and reads (and validates) request bodies. */
final class ScimCodec {
    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    static final String SEISMIC = "urn:ietf:params:scim:schemas:extension:seismic:2.0:User";
    static final String SEISMIC_EXTENDED = "urn:ietf:params:scim:schemas:extension:seismic:2.0:UserExtendedProperty";
    static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

    private final ObjectMapper json;
    private final String baseUrl;

    ScimCodec(ObjectMapper json, String baseUrl) {
        this.json = json;
        this.baseUrl = baseUrl;
    }

    // ---- rendering ----

    ObjectNode user(EmulatorUser u) {
        ObjectNode n = json.createObjectNode();
        ArrayNode schemas = n.putArray("schemas").add(USER_SCHEMA);
        n.put("id", u.id);
        putIfSet(n, "externalId", u.externalId);
        n.put("userName", u.userName);
        if (u.givenName != null || u.familyName != null) {
            ObjectNode name = n.putObject("name");
            putIfSet(name, "givenName", u.givenName);
            putIfSet(name, "familyName", u.familyName);
        }
        putIfSet(n, "title", u.title);
        putIfSet(n, "userType", u.userType);
        putIfSet(n, "preferredLanguage", u.preferredLanguage);
        putIfSet(n, "timezone", u.timezone);
        n.put("active", u.active);
        ArrayNode emails = n.putArray("emails");
        u.emails.forEach(e -> emails.addObject().put("value", e.value()).put("type", e.type()).put("primary", e.primary()));
        ArrayNode roles = n.putArray("roles");
        u.roles.forEach(r -> roles.addObject().put("value", r));
        if (u.department != null || u.costCenter != null || u.organization != null) {
            schemas.add(ENTERPRISE);
            ObjectNode ent = n.putObject(ENTERPRISE);
            putIfSet(ent, "department", u.department);
            putIfSet(ent, "costCenter", u.costCenter);
            putIfSet(ent, "organization", u.organization);
        }
        if (!u.customProperties.isEmpty()) {
            schemas.add(SEISMIC);
            ObjectNode custom = n.putObject(SEISMIC);
            u.customProperties.forEach(custom::put);
        }
        if (u.deactivatedTime != null) {
            n.putObject(SEISMIC_EXTENDED).put("deactivatedTime", u.deactivatedTime.toString());
        }
        meta(n, "User", u.id, u.created, u.lastModified);
        return n;
    }

    ObjectNode group(EmulatorGroup g) {
        ObjectNode n = json.createObjectNode();
        n.putArray("schemas").add(GROUP_SCHEMA);
        n.put("id", g.id);
        n.put("displayName", g.displayName);
        putIfSet(n, "externalId", g.externalId);
        meta(n, "Group", g.id, g.created, g.lastModified);
        return n;
    }

    <T> ObjectNode list(TenantStore.Page<T> page, java.util.function.Function<T, ObjectNode> render) {
        ObjectNode n = json.createObjectNode();
        n.putArray("schemas").add(LIST_RESPONSE);
        n.put("totalResults", page.totalResults());
        n.put("itemsPerPage", page.resources().size());
        n.put("startIndex", page.startIndex());
        ArrayNode resources = n.putArray("Resources");
        page.resources().forEach(r -> resources.add(render.apply(r)));
        return n;
    }

    ObjectNode error(ScimError e) {
        ObjectNode n = json.createObjectNode();
        n.putArray("schemas").add(ERROR);
        n.put("status", String.valueOf(e.status));
        putIfSet(n, "scimType", e.scimType);
        n.put("detail", e.getMessage());
        return n;
    }

    private void meta(ObjectNode n, String type, String id, java.time.Instant created, java.time.Instant modified) {
        n.putObject("meta")
                .put("resourceType", type)
                .put("created", created.toString())
                .put("lastModified", modified.toString())
                .put("location", baseUrl + "/scim/v2/" + type + "s/" + id);
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    // ---- reading ----

    JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ScimError.invalidSyntax("Request body is empty");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw ScimError.invalidSyntax("Request body must be a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw ScimError.invalidSyntax("Request body is not valid JSON");
        }
    }

    static void requireSchema(JsonNode body, String schema) {
        JsonNode schemas = body.get("schemas");
        if (schemas == null || !schemas.isArray() || schemas.isEmpty()) {
            throw ScimError.invalidValue("schemas is required");
        }
        for (JsonNode s : schemas) {
            if (schema.equals(s.asText())) {
                return;
            }
        }
        throw ScimError.invalidValue("schemas must include " + schema);
    }

    /**
     * Writes a full user representation (create or PUT) onto {@code u}; omitted attributes are cleared.
     * Roles, when present, win over userType (Seismic's documented create rule).
     */
    void applyFullUser(JsonNode body, EmulatorUser u, Predicate<String> validRole) {
        requireSchema(body, USER_SCHEMA);
        String userName = text(body, "userName");
        if (userName == null || userName.isBlank()) {
            throw ScimError.invalidValue("userName is required");
        }
        List<EmulatorUser.Email> emails = emails(body.get("emails"));
        if (emails.stream().noneMatch(e -> "work".equals(e.type()))) {
            throw ScimError.invalidValue("at least one email of type work is required");
        }
        u.userName = userName;
        u.emails = emails;
        u.externalId = text(body, "externalId");
        JsonNode name = body.path("name");
        u.givenName = text(name, "givenName");
        u.familyName = text(name, "familyName");
        u.title = text(body, "title");
        u.preferredLanguage = text(body, "preferredLanguage");
        u.timezone = text(body, "timezone");
        JsonNode active = body.get("active");
        if (active != null && !active.isBoolean()) {
            throw ScimError.invalidValue("active must be a boolean");
        }
        u.active = active == null || active.asBoolean();
        JsonNode ent = body.path(ENTERPRISE);
        u.department = text(ent, "department");
        u.costCenter = text(ent, "costCenter");
        u.organization = text(ent, "organization");
        Map<String, String> custom = new LinkedHashMap<>();
        body.path(SEISMIC).fields().forEachRemaining(f -> custom.put(f.getKey(), f.getValue().asText()));
        u.customProperties = custom;
        if (body.hasNonNull("roles")) {
            u.roles = roles(body.get("roles"), validRole);
            u.userType = u.roles.stream().filter(TenantStore.CONTENT_TIERS::contains).findFirst().orElse("NonSeismic");
        } else {
            String userType = text(body, "userType");
            u.userType = userType == null ? "Business" : userType;
            u.roles = TenantStore.CONTENT_TIERS.contains(u.userType) ? List.of(u.userType) : List.of();
        }
    }

    List<String> roles(JsonNode node, Predicate<String> validRole) {
        if (!node.isArray()) {
            throw ScimError.invalidValue("roles must be an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode r : node) {
            String value = r.isTextual() ? r.asText() : text(r, "value");
            if (value == null || !validRole.test(value)) {
                throw ScimError.invalidValue("unknown role " + value + " (role names are case-sensitive)");
            }
            if (!out.contains(value)) {
                out.add(value);
            }
        }
        return out;
    }

    List<EmulatorUser.Email> emails(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ScimError.invalidValue("emails is required (at least one work email)");
        }
        List<EmulatorUser.Email> out = new ArrayList<>();
        for (JsonNode e : node) {
            String value = text(e, "value");
            if (value == null || !value.contains("@")) {
                throw ScimError.invalidValue("email value " + value + " is not an email address");
            }
            out.add(new EmulatorUser.Email(value, e.path("type").asText("work"), e.path("primary").asBoolean(false)));
        }
        return out;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
