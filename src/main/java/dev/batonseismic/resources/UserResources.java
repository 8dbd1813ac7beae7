package dev.batonseismic.resources;

import org.springframework.beans.factory.annotation.Autowired;
import dev.batonseismic.config.ProvisioningProperties;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.baton.v2.Capability;
import dev.batonseismic.model.BatonRecords;
import dev.batonseismic.provisioning.BadRequestException;
import dev.batonseismic.provisioning.Provisioner;
import dev.batonseismic.provisioning.ProvisioningRequest;
import dev.batonseismic.provisioning.ProvisioningResult;
import dev.batonseismic.provisioning.UserLocks;
import dev.batonseismic.seismic.SeismicClient;
import dev.batonseismic.sync.SyncRegistry;
import dev.batonseismic.sync.SyncRun;
import dev.batonseismic.sync.SyncScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Seismic's SCIM users as baton {@code user} resources: status from {@code active}, login = {@code userName}, all
 * emails, a profile. The sync reads them with the users listing ({@code routes/resource-users.yaml}:
 * {@code sync-users-fetch}, {@code sync-users-page}), and hands each user to the types whose grants come from it (roles,
 * licenses). Provisioning creates accounts ({@code POST /scim/v2/Users}) and deletes or deactivates users.
 */
@Component("userResources")
public class UserResources implements ResourceUnit {
    public static final String TYPE = BatonRecords.USER;
    /** The routes ({@code direct:provisioning-<kind>}) of the operations on users themselves. */
    public static final String CREATE_KIND = "account-create";
    public static final String DELETE_KIND = "user-delete";
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String SEISMIC = "urn:ietf:params:scim:schemas:extension:seismic:2.0:User";
    private static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private final ObjectMapper json;
    private final BatonRecords records;
    private final SeismicClient seismic;
    private final UserLocks locks;
    private final ObjectProvider<ResourceUnits> units;
    private final String deleteMode;

    @Autowired
    public UserResources(ObjectMapper json, BatonRecords records, SeismicClient seismic, UserLocks locks,
                         ObjectProvider<ResourceUnits> units, ProvisioningProperties provisioning) {
        this(json, records, seismic, locks, units, provisioning.deleteMode());
    }

    UserResources(ObjectMapper json, BatonRecords records, SeismicClient seismic, UserLocks locks,
                  ObjectProvider<ResourceUnits> units, String deleteMode) {
        this.json = json;
        this.records = records;
        this.seismic = seismic;
        this.locks = locks;
        this.units = units;
        this.deleteMode = deleteMode;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectNode resourceType() {
        return records.resourceType(TYPE, "User", "TRAIT_USER", true);
    }

    @Override
    public SyncRead syncRead() {
        return SyncRead.LISTING;
    }

    @Override
    public String fetchEndpoint() {
        return "direct:sync-users-fetch";
    }

    @Override
    public String targetEndpoint() {
        return "direct:sync-user-target";
    }

    /** Users are read for themselves, and for the grants of the types that take them from the users. */
    @Override
    public boolean readBy(SyncScope scope, ResourceUnits all) {
        return scope.includes(TYPE) || all.grantsFromUsers(scope);
    }

    @Override
    public boolean guarded() {
        return true;
    }

    @Override
    public Set<Capability> capabilities(boolean provisioning) {
        return provisioning ? EnumSet.of(Capability.CAPABILITY_SYNC, Capability.CAPABILITY_ACCOUNT_PROVISIONING,
                Capability.CAPABILITY_RESOURCE_DELETE) : EnumSet.of(Capability.CAPABILITY_SYNC);
    }

    // ---- sync ----

    /** One page of SCIM users: each user resource (when the scope covers users) and the grants derived from it. */
    public void page(@Body List<JsonNode> page, @ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        boolean users = run.scope().includes(TYPE);
        boolean grants = run.scope().grants();
        ResourceUnits all = units.getObject();
        for (JsonNode user : page) {
            if (users) {
                run.writer().resourceJson(userJson(user));
                run.count(TYPE);
            }
            if (grants) {
                all.fromUser(user, user.path("id").asText(), run);
            }
        }
    }

    /**
     * One user of a targeted sync, as {@code GET /scim/v2/Users/{id}} answered it (null: Seismic does not know it): its
     * user resource. Its role and license grants are grants of the roles and licenses, which a targeted sync of a
     * user does not cover (baton syncs a targeted resource's own entitlements and grants, and a user has none).
     */
    public void target(@Body JsonNode user, @ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        if (user != null) {
            run.writer().resourceJson(userJson(user));
            run.count(TYPE);
        }
    }

    // ---- records ----

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
        String given = BatonRecords.text(name, "givenName");
        String family = BatonRecords.text(name, "familyName");
        String userName = BatonRecords.text(u, "userName");
        boolean active = u.path("active").asBoolean(true);
        // a tree: the Seismic extension may name a standard field again, and then replaces its value in place
        ObjectNode profile = json.createObjectNode();
        BatonRecords.putIfSet(profile, "userName", userName);
        BatonRecords.putIfSet(profile, "givenName", given);
        BatonRecords.putIfSet(profile, "familyName", family);
        BatonRecords.putIfSet(profile, "title", BatonRecords.text(u, "title"));
        BatonRecords.putIfSet(profile, "userType", BatonRecords.text(u, "userType"));
        BatonRecords.putIfSet(profile, "preferredLanguage", BatonRecords.text(u, "preferredLanguage"));
        BatonRecords.putIfSet(profile, "timezone", BatonRecords.text(u, "timezone"));
        BatonRecords.putIfSet(profile, "externalId", BatonRecords.text(u, "externalId"));
        JsonNode ent = u.path(ENTERPRISE);
        BatonRecords.putIfSet(profile, "department", BatonRecords.text(ent, "department"));
        BatonRecords.putIfSet(profile, "costCenter", BatonRecords.text(ent, "costCenter"));
        BatonRecords.putIfSet(profile, "organization", BatonRecords.text(ent, "organization"));
        u.path(SEISMIC).fields().forEachRemaining(f -> profile.put(f.getKey(), f.getValue().asText()));
        profile.put("active", active);
        String created = BatonRecords.timestamp(BatonRecords.text(u.path("meta"), "created"));

        g.writeStartObject();
        g.writeObjectFieldStart("id");
        g.writeStringField("resourceType", TYPE);
        g.writeStringField("resource", id);
        g.writeEndObject();
        g.writeStringField("displayName", displayName(given, family, userName));
        g.writeArrayFieldStart("annotations");
        g.writeStartObject();
        g.writeStringField("@type", BatonRecords.TYPE_PREFIX + "UserTrait");
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

    private static String displayName(String given, String family, String userName) {
        String full = ((given == null ? "" : given) + " " + (family == null ? "" : family)).trim();
        return full.isEmpty() ? userName : full;
    }

    // ---- provisioning ----

    /** createAccount: {@code POST /scim/v2/Users}; 409 means ALREADY_EXISTS, with the existing account. */
    public void createAccount(Exchange ex) {
        ProvisioningRequest req = Provisioner.request(ex);
        ObjectNode user = json.createObjectNode();
        user.putArray("schemas").add(USER_SCHEMA);
        user.put("userName", req.login());
        ObjectNode name = user.putObject("name");
        if (req.givenName() != null && !req.givenName().isBlank()) {
            name.put("givenName", req.givenName());
        }
        if (req.familyName() != null && !req.familyName().isBlank()) {
            name.put("familyName", req.familyName());
        }
        user.put("active", true);
        user.putArray("emails").addObject().put("value", req.email()).put("type", "work").put("primary", true);
        SeismicClient.Reply r = seismic.call("POST", "/scim/v2/Users", null, user, "409");
        if (r.status() == 409) {
            SeismicClient.Reply found = seismic.call("GET", "/scim/v2/Users", "filter=" + URLEncoder.encode(
                    "userName eq \"" + req.login().replace("\"", "") + "\"", StandardCharsets.UTF_8) + "&count=1", null, null);
            JsonNode existing = found.body() == null ? null : found.body().path("Resources").path(0);
            JsonNode resource = existing == null || existing.isMissingNode() ? null : user(existing);
            if (r.attempts() > 1 && resource != null) {
                // an earlier attempt of this very call created it and its answer was lost (reset, or 5xx after the fact)
                Provisioner.answer(ex, ProvisioningResult.ok(req.requestId(), ProvisioningResult.Status.SUCCEEDED, "account "
                        + req.login() + " created (Seismic's first answer was lost; the retry found the account)", null, resource));
                return;
            }
            Provisioner.answer(ex, ProvisioningResult.ok(req.requestId(), ProvisioningResult.Status.ALREADY_EXISTS,
                    "an account with login " + req.login() + " already exists", null, resource));
            return;
        }
        Provisioner.answer(ex, ProvisioningResult.ok(req.requestId(), ProvisioningResult.Status.SUCCEEDED,
                "account " + req.login() + " created", null, user(r.body())));
    }

    /** deleteResource: deletes the user, or locks it ({@code provisioning.delete-mode=deactivate}); gone already counts as done. */
    public void deleteUser(Exchange ex) {
        Provisioner.Target t = Provisioner.targetOf(ex);
        boolean deactivate = "deactivate".equalsIgnoreCase(deleteMode);
        SeismicClient.Reply r;
        synchronized (locks.of(t.userId())) {
            if (deactivate) {
                ObjectNode patch = json.createObjectNode();
                patch.putArray("schemas").add(PATCH_OP);
                patch.putArray("Operations").addObject().put("op", "replace").put("path", "active").put("value", false);
                r = seismic.call("PATCH", "/scim/v2/Users/" + t.userId(), null, patch, "404");
            } else {
                r = seismic.call("DELETE", "/scim/v2/Users/" + t.userId(), null, null, "404");
            }
        }
        String message = r.status() == 404 ? "user " + t.userId() + " does not exist in Seismic (already deleted)"
                : "user " + t.userId() + (deactivate ? " deactivated (locked)" : " deleted");
        Provisioner.answer(ex, ProvisioningResult.ok(Provisioner.request(ex).requestId(), ProvisioningResult.Status.SUCCEEDED, message,
                null, json.createObjectNode().set("id", json.createObjectNode().put("resourceType", TYPE).put("resource", t.userId()))));
    }

    /** The current SCIM user (role changes read it before they write the whole roles array back). */
    JsonNode current(String userId) {
        SeismicClient.Reply r = seismic.call("GET", "/scim/v2/Users/" + userId, null, null, "404");
        if (r.status() == 404) {
            throw BadRequestException.unknown("user " + userId + " does not exist in Seismic");
        }
        return r.body();
    }
}
