package dev.batonseismic.license;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Seismic has no license endpoint: a user's content license is its SCIM {@code userType}. Business, Premium and
 * Partner are the known tiers; {@code NonSeismic} (system and external accounts) holds no license; any other value is
 * a tier this connector does not know yet, reported as its own license with a warning rather than dropped.
 */
@Component("licenseEnricher")
public class LicenseEnricher {
    public static final List<String> KNOWN_TIERS = List.of("Business", "Premium", "Partner");
    public static final String NO_LICENSE = "NonSeismic";

    /** The outcome for one user: the tier held (null for none), and whether the tier is unknown. */
    public record License(String tier, boolean unknown) {}

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
}
