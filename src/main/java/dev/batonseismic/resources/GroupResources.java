package dev.batonseismic.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.baton.v2.Capability;
import dev.batonseismic.model.BatonGrant;
import dev.batonseismic.model.BatonRecords;
import dev.batonseismic.provisioning.BadRequestException;
import dev.batonseismic.provisioning.Provisioner;
import dev.batonseismic.provisioning.ProvisioningResult;
import dev.batonseismic.seismic.ScimListing;
import dev.batonseismic.seismic.ScimPageReader;
import dev.batonseismic.seismic.SeismicClient;
import dev.batonseismic.sync.SyncRegistry;
import dev.batonseismic.sync.SyncRun;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * Seismic's SCIM groups as baton {@code group} resources, each with its {@code group:<gid>:member} entitlement; members
 * are grants. The sync reads the groups listing and, per group, its members ({@code routes/resource-groups.yaml}:
 * {@code sync-groups-fetch}, {@code sync-groups-page}, {@code sync-group-members-fetch}, {@code sync-group-members-page}).
 * Provisioning adds and removes members ({@code provisioning-group-membership}: {@code POST} / {@code DELETE
 * /scim/v2/Users/{uid}/Groups/{gid}}) after reading the user's groups with the same paging template
 * ({@code provisioning-user-groups-fetch}, {@code sync.page-size} per page).
 */
@Component("groupResources")
public class GroupResources implements ResourceUnit {
    public static final String TYPE = "group";
    static final String SLUG = "member";
    /** The exchange property holding whether the user of a membership change is in the group already. */
    static final String IS_MEMBER = "provisioningIsMember";

    private final ObjectMapper json;
    private final BatonRecords records;
    private final SeismicClient seismic;

    public GroupResources(ObjectMapper json, BatonRecords records, SeismicClient seismic) {
        this.json = json;
        this.records = records;
        this.seismic = seismic;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectNode resourceType() {
        return records.resourceType(TYPE, "Group", "TRAIT_GROUP", false);
    }

    @Override
    public SyncRead syncRead() {
        return SyncRead.LISTING;
    }

    @Override
    public String fetchEndpoint() {
        return "direct:sync-groups-fetch";
    }

    @Override
    public String targetEndpoint() {
        return "direct:sync-group-target";
    }

    @Override
    public String entitlementSlug() {
        return SLUG;
    }

    @Override
    public String checkedId(String id) {
        return Provisioner.seismicId(id, "group id");
    }

    @Override
    public String provisioningKind(String slug, boolean grant) {
        return SLUG.equals(slug) ? "group-membership" : null;
    }

    @Override
    public Set<Capability> capabilities(boolean provisioning) {
        return provisioning ? EnumSet.of(Capability.CAPABILITY_SYNC, Capability.CAPABILITY_PROVISION) : EnumSet.of(Capability.CAPABILITY_SYNC);
    }

    // ---- sync ----

    /** One SCIM group, before its members: kept as {@code syncGroup}, and {@code groupId} set for the member pages. */
    public void group(@Body JsonNode group, Exchange ex) {
        ex.setProperty("syncGroup", group);
        ex.setProperty("groupId", group.path("id").asText());
    }

    /**
     * One SCIM group, after its members (read when the scope wants grants): the group resource and its member
     * entitlement. A group that answered 404 on its members was deleted since the group list was read: with no member
     * read it is left out (it no longer exists, and nobody holds access through it), with a warning; if it vanished
     * after some member pages were read, it stays with the members read so far (they held that access when read), also
     * with a warning.
     */
    public void groupRead(@ExchangeProperty("syncGroup") JsonNode group, @ExchangeProperty(ScimPageReader.LISTING) ScimListing members,
                          @ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        String name = "group '" + group.path("displayName").asText() + "' (" + group.path("id").asText() + ")";
        if (run.scope().grants() && members.isGone()) {
            if (members.emitted() == 0) {
                run.warn(name + " was deleted during the sync (404 on its members): left out");
                return;
            }
            run.warn(name + " was deleted while its members were read: reported with the " + members.emitted() + " member(s) read before");
        }
        ObjectNode resource = group(group);
        run.writer().resource(resource);
        run.count(TYPE);
        if (run.scope().entitlements()) {
            run.writer().entitlement(member(resource));
            run.count("entitlements");
        }
    }

    /** One page of a group's members: a {@code group:<gid>:member} grant each. */
    public void members(@Body List<JsonNode> page, @ExchangeProperty("groupId") String groupId,
                        @ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        for (JsonNode user : page) {
            run.writer().grant(new BatonGrant(TYPE, groupId, SLUG, user.path("id").asText()));
            run.count("grants");
        }
    }

    // ---- records ----

    public ObjectNode group(JsonNode g) {
        String displayName = BatonRecords.text(g, "displayName");
        ObjectNode profile = json.createObjectNode();
        BatonRecords.putIfSet(profile, "displayName", displayName);
        BatonRecords.putIfSet(profile, "externalId", BatonRecords.text(g, "externalId"));
        ObjectNode r = records.resource(TYPE, g.path("id").asText(), displayName == null ? g.path("id").asText() : displayName);
        BatonRecords.annotation(r, "GroupTrait").set("profile", profile);
        r.set("profile", profile.deepCopy());
        String created = BatonRecords.timestamp(BatonRecords.text(g.path("meta"), "created"));
        if (created != null) {
            r.put("createdAt", created);
        }
        return r;
    }

    public ObjectNode member(ObjectNode group) {
        return records.entitlement(group, SLUG, group.path("displayName").asText() + " Group Member",
                "Member of the " + group.path("displayName").asText() + " group in Seismic");
    }

    // ---- provisioning ----

    /** Before a membership change: whether the user is in the group is learnt from the user's groups, page by page. */
    public void startMembershipCheck(Exchange ex) {
        ex.setProperty(IS_MEMBER, new AtomicBoolean());
    }

    /** One page of the user's groups ({@code provisioning-user-groups-page}). */
    public void membershipPage(@Body List<JsonNode> page, @ExchangeProperty(IS_MEMBER) AtomicBoolean member, Exchange ex) {
        String groupId = Provisioner.targetOf(ex).resourceId();
        for (JsonNode g : page) {
            if (groupId.equals(g.path("id").asText())) {
                member.set(true);
            }
        }
    }

    /** Grants or revokes the membership; a no-op says so; an unknown user or group is a 404. */
    public void changeMembership(Exchange ex) {
        Provisioner.Target t = Provisioner.targetOf(ex);
        if (ex.getProperty(ScimPageReader.LISTING, ScimListing.class).isGone()) {
            throw BadRequestException.unknown("user " + t.userId() + " does not exist in Seismic");
        }
        boolean member = ex.getProperty(IS_MEMBER, AtomicBoolean.class).get();
        boolean grant = t.grant();
        if (grant == member) {
            answer(ex, t, grant ? ProvisioningResult.Status.ALREADY_EXISTS : ProvisioningResult.Status.ALREADY_REVOKED, "user " + t.userId()
                    + (grant ? " is already a member of group " : " is not a member of group ") + t.resourceId());
            return;
        }
        SeismicClient.Reply r = seismic.call(grant ? "POST" : "DELETE", "/scim/v2/Users/" + t.userId() + "/Groups/" + t.resourceId(),
                null, null, "404");
        if (r.status() == 404) {
            throw BadRequestException.unknown("group " + t.resourceId() + " does not exist in Seismic");
        }
        answer(ex, t, ProvisioningResult.Status.SUCCEEDED, "user " + t.userId() + (grant ? " added to group " : " removed from group ")
                + t.resourceId());
    }

    private void answer(Exchange ex, Provisioner.Target t, ProvisioningResult.Status status, String message) {
        Provisioner.answer(ex, ProvisioningResult.ok(Provisioner.request(ex).requestId(), status, message,
                records.grant(TYPE, t.resourceId(), t.slug(), t.userId()), null));
    }
}
