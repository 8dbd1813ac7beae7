package dev.batonseismic.config;

import java.net.URI;
import java.util.List;

/**
 * The validated deployment settings (docs/configuration.md). Built once at start-up by {@link SettingsConfiguration}.
 * {@link #toString()} never shows the client secret.
 */
public record ConnectorSettings(String clientId, String clientSecret, String tenant, String delegationUserId,
                                URI apiUrl, URI authUrl, List<String> scopes, boolean provisioningEnabled,
                                String routesDirectory) {

    @Override
    public String toString() {
        return "ConnectorSettings[tenant=" + tenant + ", clientId=" + clientId + ", clientSecret=(hidden)"
                + ", delegationUserId=" + delegationUserId + ", apiUrl=" + apiUrl + ", authUrl=" + authUrl
                + ", scopes=" + scopes + ", provisioningEnabled=" + provisioningEnabled
                + ", routesDirectory=" + routesDirectory + "]";
    }
}
