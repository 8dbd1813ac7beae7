package dev.batonseismic.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.license.LicenseEnricher;
import dev.batonseismic.model.BatonGrant;
import dev.batonseismic.model.BatonRecords;
import dev.batonseismic.seismic.ScimListing;
import dev.batonseismic.seismic.ScimPageReader;
import dev.batonseismic.seismic.SeismicResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * Turns what the sync routes read from Seismic into baton records and hands them to the sync's writer: users with
 * their role and license grants, groups with their member entitlement, member grants, and, at the end, the role and
 * license resources.
 */
@Component("syncRecords")
public class SyncRecords {
    private final BatonRecords records;
    private final LicenseEnricher licenses;

    public SyncRecords(BatonRecords records, LicenseEnricher licenses) {
        this.records = records;
        this.licenses = licenses;
    }

    /** One page of SCIM users, each as {@link #user}. */
    public void users(@Body List<JsonNode> page, @ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        for (JsonNode user : page) {
            user(user, run);
        }
    }

    /**
     * One SCIM user: the user resource, a grant per catalog role it names, and its license grant (each as far as the
     * sync's scope covers it).
     */
    private void user(JsonNode user, SyncRun run) {
        String uid = user.path("id").asText();
        SyncScope scope = run.scope();
        if (scope.includes(BatonRecords.USER)) {
            run.writer().resourceJson(records.userJson(user));
            run.count("user");
        }
        if (scope.grants() && scope.includes(BatonRecords.ROLE)) {
            roleGrants(user, uid, run);
        }
        if (scope.grants() && scope.includes(BatonRecords.LICENSE)) {
            licenseGrant(user, uid, run);
        }
    }

    private void roleGrants(JsonNode user, String uid, SyncRun run) {
        for (JsonNode role : user.path("roles")) {
            String value = role.isTextual() ? role.asText() : role.path("value").asText();
            if (value.isEmpty() || licenses.isContentTier(value)) {
                continue;
            }
            String roleId = run.roleIdFor(value);
            if (roleId == null) {
                run.warn("role value '" + value + "' names no role in the catalog (deleted or unknown): not reported as a grant");
                continue;
            }
            grant(run, new BatonGrant(BatonRecords.ROLE, roleId, "assigned", uid));
        }
    }

    private void licenseGrant(JsonNode user, String uid, SyncRun run) {
        LicenseEnricher.License license = licenses.licenseOf(user);
        if (license.tier() != null) {
            if (license.unknown() && run.addUnknownTier(license.tier())) {
                run.warn("unknown license tier '" + license.tier() + "' (userType of user " + uid + "): reported as license:" + license.tier());
            }
            grant(run, new BatonGrant(BatonRecords.LICENSE, license.tier(), "assigned", uid));
        }
    }

    /** One SCIM group, before its members: kept as {@code syncGroup}, and {@code groupId} set for the member pages. */
    public void group(@Body JsonNode group, Exchange ex) {
        ex.setProperty("syncGroup", group);
        ex.setProperty("groupId", group.path("id").asText());
    }

    /**
     * One SCIM group, after its members: the group resource and its member entitlement. A group that answered 404 on
     * its members was deleted since the group list was read: with no member read it is left out (it no longer exists,
     * and nobody holds access through it), with a warning; if it vanished after some member pages were read, it stays
     * with the members read so far (they held that access when read), also with a warning.
     */
    public void groupRead(@ExchangeProperty("syncGroup") JsonNode group, @ExchangeProperty(ScimPageReader.LISTING) ScimListing members,
                          @ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        String name = "group '" + group.path("displayName").asText() + "' (" + group.path("id").asText() + ")";
        if (run.scope().readsMembers() && members.isGone()) {
            if (members.emitted() == 0) {
                run.warn(name + " was deleted during the sync (404 on its members): left out");
                return;
            }
            run.warn(name + " was deleted while its members were read: reported with the " + members.emitted() + " member(s) read before");
        }
        ObjectNode resource = records.group(group);
        run.writer().resource(resource);
        run.count("group");
        if (run.scope().entitlements()) {
            run.writer().entitlement(records.groupMember(resource));
            run.count("entitlements");
        }
    }

    /** One page of a group's members: a {@code group:<gid>:member} grant each. */
    public void members(@Body List<JsonNode> page, @ExchangeProperty("groupId") String groupId,
                        @ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        for (JsonNode user : page) {
            grant(run, new BatonGrant(BatonRecords.GROUP, groupId, "member", user.path("id").asText()));
        }
    }

    /**
     * One page of the reporting API's entitlementRoles: remembers the live roles (deleted ones skipped), advances
     * {@code offset}, and sets {@code morePages} while pages come back full.
     */
    public void catalogPage(Exchange ex) {
        SyncRun run = ex.getProperty(SyncRegistry.RUN, SyncRun.class);
        JsonNode page = SeismicResponse.takeJson(ex);
        if (page == null || !page.isArray()) {
            throw new IllegalStateException("Seismic's reporting API sent entitlementRoles that are not a JSON array");
        }
        for (JsonNode role : page) {
            if (!role.path("isDeleted").asBoolean(false)) {
                run.addCatalogRole(role.path("id").asText(), role.path("name").asText(),
                        role.hasNonNull("description") ? role.get("description").asText() : null);
            }
        }
        int limit = ex.getProperty("reportingLimit", Integer.class);
        ex.setProperty("offset", ex.getProperty("offset", 0, Integer.class) + page.size());
        ex.setProperty("morePages", page.size() >= limit);
    }

    /** Without {@code seismic.reporting}: roles are the distinct non-content SCIM role values, with a warning. */
    public void rolesUnavailable(@ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        run.useRoleFallback();
        run.warn("the token lacks seismic.reporting, so the role catalog cannot be read: roles are the distinct "
                + "non-content SCIM role values, each with its name as id");
    }

    /**
     * At the end: a resource and an entitlement per role, and per license tier (the three known ones always), as far
     * as the sync's scope covers them.
     */
    public void rolesAndLicenses(@ExchangeProperty(SyncRegistry.RUN) SyncRun run) {
        SyncScope scope = run.scope();
        if (scope.includes(BatonRecords.ROLE)) {
            run.roles().forEach((roleId, name) -> {
                ObjectNode role = records.role(roleId, name, run.roleDescription(roleId));
                run.writer().resource(role);
                run.count("role");
                if (scope.entitlements()) {
                    run.writer().entitlement(records.roleAssigned(role));
                    run.count("entitlements");
                }
            });
        }
        if (!scope.includes(BatonRecords.LICENSE)) {
            return;
        }
        Set<String> tiers = new TreeSet<>(run.unknownTiers());
        List<String> all = new ArrayList<>(LicenseEnricher.KNOWN_TIERS);
        all.addAll(tiers);
        for (String tier : all) {
            ObjectNode license = records.license(tier);
            run.writer().resource(license);
            run.count("license");
            if (scope.entitlements()) {
                run.writer().entitlement(records.licenseAssigned(license));
                run.count("entitlements");
            }
        }
    }

    private static void grant(SyncRun run, BatonGrant grant) {
        run.writer().grant(grant);
        run.count("grants");
    }
}
