package dev.batonseismic.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.baton.v2.Capability;
import dev.batonseismic.model.BatonGrant;
import dev.batonseismic.model.BatonRecords;
import dev.batonseismic.provisioning.Provisioner;
import dev.batonseismic.provisioning.ProvisioningResult;
import dev.batonseismic.sync.SyncRun;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Seismic's content licenses as baton {@code license} resources, each with its {@code license:<tier>:assigned}
 * entitlement. Seismic has no license endpoint: a user's license is its SCIM {@code userType}, classified here. Business,
 * Premium and Partner are the known tiers and always reported; {@code NonSeismic} (system and external accounts) holds
 * no license; any other value is a tier this connector does not know yet, reported as its own license with a warning
 * rather than dropped. Licenses are read-only: a grant or revoke is refused with the reason.
 */
@Component("licenseResources")
public class LicenseResources implements ResourceUnit {
    public static final String TYPE = "license";
    public static final List<String> KNOWN_TIERS = List.of("Business", "Premium", "Partner");
    public static final String NO_LICENSE = "NonSeismic";
    static final String SLUG = "assigned";

    /** A user's license: the tier held (null for none), and whether the tier is unknown. */
    public record License(String tier, boolean unknown) {}

    /** The unknown tiers one sync met. */
    static final class RunTiers {
        final Set<String> unknown = ConcurrentHashMap.newKeySet();
    }

    private final BatonRecords records;

    public LicenseResources(BatonRecords records) {
        this.records = records;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectNode resourceType() {
        return records.resourceType(TYPE, "License", "TRAIT_LICENSE_PROFILE", false);
    }

    @Override
    public SyncRead syncRead() {
        return SyncRead.DERIVED;
    }

    @Override
    public boolean derivesFromUsers() {
        return true;
    }

    @Override
    public String entitlementSlug() {
        return SLUG;
    }

    @Override
    public String provisioningKind(String slug, boolean grant) {
        return SLUG.equals(slug) ? "license-refuse" : null;
    }

    @Override
    public Set<Capability> capabilities(boolean provisioning) {
        return EnumSet.of(Capability.CAPABILITY_SYNC);
    }

    // ---- tiers ----

    public License licenseOf(JsonNode scimUser) {
        String userType = scimUser.path("userType").asText("").trim();
        if (userType.isEmpty() || userType.equals(NO_LICENSE)) {
            return new License(null, false);
        }
        return new License(userType, !KNOWN_TIERS.contains(userType));
    }

    /** Content tiers are licenses, never roles, even when they appear among a user's SCIM roles. */
    public boolean isContentTier(String roleValue) {
        return KNOWN_TIERS.contains(roleValue);
    }

    // ---- sync ----

    /** The user's license grant, from its {@code userType}. */
    @Override
    public void fromUser(JsonNode user, String uid, SyncRun run) {
        License license = licenseOf(user);
        if (license.tier() == null) {
            return;
        }
        if (license.unknown() && run.attachment(RunTiers.class, RunTiers::new).unknown.add(license.tier())) {
            run.warn("unknown license tier '" + license.tier() + "' (userType of user " + uid + "): reported as license:" + license.tier());
        }
        run.writer().grant(new BatonGrant(TYPE, license.tier(), SLUG, uid));
        run.count("grants");
    }

    /** At the end: a resource and an entitlement per tier, the three known ones always. */
    @Override
    public void endOfSync(SyncRun run) {
        if (!run.scope().includes(TYPE)) {
            return;
        }
        List<String> all = new ArrayList<>(KNOWN_TIERS);
        all.addAll(new TreeSet<>(run.attachment(RunTiers.class, RunTiers::new).unknown));
        for (String tier : all) {
            ObjectNode license = license(tier);
            run.writer().resource(license);
            run.count(TYPE);
            if (run.scope().entitlements()) {
                run.writer().entitlement(assigned(license));
                run.count("entitlements");
            }
        }
    }

    // ---- records ----

    public ObjectNode license(String tier) {
        ObjectNode r = records.resource(TYPE, tier, tier + " license");
        r.put("description", "Seismic " + tier + " content license (the user's userType)");
        ObjectNode trait = BatonRecords.annotation(r, "LicenseProfileTrait");
        trait.put("licenseName", tier);
        trait.putArray("entitlementIds").add(BatonRecords.entitlementId(TYPE, tier, SLUG));
        return r;
    }

    public ObjectNode assigned(ObjectNode license) {
        return records.entitlement(license, SLUG, license.path("displayName").asText(),
                "Holds a Seismic " + license.path("id").path("resource").asText() + " license");
    }

    // ---- provisioning ----

    /** Licenses are read-only (the user's userType): a grant or revoke is refused with the reason. */
    public void refuse(Exchange ex) {
        Provisioner.answer(ex, ProvisioningResult.refused(Provisioner.request(ex).requestId(), 422,
                "licenses are read-only: a user's license is its userType; change it in the Seismic admin console"));
    }
}
