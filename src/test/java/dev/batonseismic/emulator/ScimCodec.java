package dev.batonseismic.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
    // Resources are written straight to JSON bytes with a generator (a page of a million-user tenant is rendered in
    // the benchmark's own process, beside the connector it measures); single resources are read back as trees.

    /** Writes one resource to a generator. */
    @FunctionalInterface
    interface Renderer<T> {
        void write(JsonGenerator g, T resource) throws IOException;
    }

    ObjectNode user(EmulatorUser u) {
        return tree(render(u, this::writeUser));
    }

    ObjectNode group(EmulatorGroup g) {
        return tree(render(g, this::writeGroup));
    }

    /** A user's JSON as rendered by one codec at one version of the user. */
    record Rendered(ScimCodec codec, long version, String json) {}

    /**
     * Writes a user as its JSON rendered for its current version, rendered once: a sync reads each user about three
     * times (the user listing and its groups' member pages), and the benchmark's emulator shares the machine with the
     * connector it measures.
     */
    void writeUser(JsonGenerator g, EmulatorUser u) throws IOException {
        g.writeRawValue(rendered(u).json());
    }

    /** The user's JSON rendered for its current version: the kept one, or rendered now and kept. */
    private Rendered rendered(EmulatorUser u) {
        long version = u.version;
        Rendered rendered = u.rendered;
        if (rendered == null || rendered.codec() != this || rendered.version() != version) {
            rendered = new Rendered(this, version, new String(render(u, this::renderUser), StandardCharsets.UTF_8));
            u.rendered = rendered;
        }
        return rendered;
    }

    /**
     * Renders users ahead of their first read, as a generated tenant is loaded: the server a sync meets is ready, not
     * rendering (and compiling its renderer) while the benchmark measures the connector beside it.
     */
    void prerender(java.util.Collection<EmulatorUser> users) {
        users.forEach(this::rendered);
    }

    private void renderUser(JsonGenerator g, EmulatorUser u) throws IOException {
        boolean enterprise = u.department != null || u.costCenter != null || u.organization != null;
        boolean custom = !u.customProperties.isEmpty();
        g.writeStartObject();
        g.writeArrayFieldStart("schemas");
        g.writeString(USER_SCHEMA);
        if (enterprise) {
            g.writeString(ENTERPRISE);
        }
        if (custom) {
            g.writeString(SEISMIC);
        }
        g.writeEndArray();
        g.writeStringField("id", u.id);
        stringIfSet(g, "externalId", u.externalId);
        g.writeStringField("userName", u.userName);
        if (u.givenName != null || u.familyName != null) {
            g.writeObjectFieldStart("name");
            stringIfSet(g, "givenName", u.givenName);
            stringIfSet(g, "familyName", u.familyName);
            g.writeEndObject();
        }
        stringIfSet(g, "title", u.title);
        stringIfSet(g, "userType", u.userType);
        stringIfSet(g, "preferredLanguage", u.preferredLanguage);
        stringIfSet(g, "timezone", u.timezone);
        g.writeBooleanField("active", u.active);
        g.writeArrayFieldStart("emails");
        for (EmulatorUser.Email e : u.emails) {
            g.writeStartObject();
            g.writeStringField("value", e.value());
            g.writeStringField("type", e.type());
            g.writeBooleanField("primary", e.primary());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("roles");
        for (String r : u.roles) {
            g.writeStartObject();
            g.writeStringField("value", r);
            g.writeEndObject();
        }
        g.writeEndArray();
        if (enterprise) {
            g.writeObjectFieldStart(ENTERPRISE);
            stringIfSet(g, "department", u.department);
            stringIfSet(g, "costCenter", u.costCenter);
            stringIfSet(g, "organization", u.organization);
            g.writeEndObject();
        }
        if (custom) {
            g.writeObjectFieldStart(SEISMIC);
            for (Map.Entry<String, String> p : u.customProperties.entrySet()) {
                g.writeStringField(p.getKey(), p.getValue());
            }
            g.writeEndObject();
        }
        if (u.deactivatedTime != null) {
            g.writeObjectFieldStart(SEISMIC_EXTENDED);
            g.writeStringField("deactivatedTime", u.deactivatedTime.toString());
            g.writeEndObject();
        }
        meta(g, "User", u.id, u.created, u.lastModified);
        g.writeEndObject();
    }

    void writeGroup(JsonGenerator g, EmulatorGroup group) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("schemas");
        g.writeString(GROUP_SCHEMA);
        g.writeEndArray();
        g.writeStringField("id", group.id);
        g.writeStringField("displayName", group.displayName);
        stringIfSet(g, "externalId", group.externalId);
        meta(g, "Group", group.id, group.created, group.lastModified);
        g.writeEndObject();
    }

    /** A SCIM ListResponse of the page's resources, as JSON bytes. */
    <T> byte[] list(TenantStore.Page<T> page, Renderer<T> render) {
        return render(page, (g, p) -> {
            g.writeStartObject();
            g.writeArrayFieldStart("schemas");
            g.writeString(LIST_RESPONSE);
            g.writeEndArray();
            g.writeNumberField("totalResults", p.totalResults());
            g.writeNumberField("itemsPerPage", p.resources().size());
            g.writeNumberField("startIndex", p.startIndex());
            g.writeArrayFieldStart("Resources");
            for (T r : p.resources()) {
                render.write(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    <T> byte[] render(T value, Renderer<T> render) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            render.write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    ObjectNode tree(byte[] rendered) {
        try {
            return (ObjectNode) json.readTree(rendered);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectNode error(ScimError e) {
        ObjectNode n = json.createObjectNode();
        n.putArray("schemas").add(ERROR);
        n.put("status", String.valueOf(e.status));
        putIfSet(n, "scimType", e.scimType);
        n.put("detail", e.getMessage());
        return n;
    }

    private void meta(JsonGenerator g, String type, String id, java.time.Instant created, java.time.Instant modified) throws IOException {
        g.writeObjectFieldStart("meta");
        g.writeStringField("resourceType", type);
        g.writeStringField("created", created.toString());
        g.writeStringField("lastModified", modified.toString());
        g.writeStringField("location", baseUrl + "/scim/v2/" + type + "s/" + id);
        g.writeEndObject();
    }

    private static void stringIfSet(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
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
