package dev.batonseismic.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The token URL written as Seismic documents it, {@code …/tenants/{tenant}/connect/token}, works as it reads. */
class TenantUrlsTest {
    private static final List<String> SINK_TYPES = ValidSettings.SINK_TYPES;

    private static MockEnvironment environment(String tenant) {
        return ValidSettings.environment().withProperty("seismic.tenant", tenant)
                .withProperty("seismic.auth-url", "https://auth.eu.seismic.com/tenants/{tenant}/connect/token");
    }

    @Test
    void theTenantPlaceholderIsFilledInFromTheTenantSetting() {
        MockEnvironment env = environment("acme");
        new TenantUrls().postProcessEnvironment(env, null);

        assertThat(env.getProperty("seismic.auth-url")).isEqualTo("https://auth.eu.seismic.com/tenants/acme/connect/token");
        SettingsConfiguration.check(env, SINK_TYPES);
        assertThat(new SettingsConfiguration().connectorSettings(env).authUrl())
                .hasToString("https://auth.eu.seismic.com/tenants/acme/connect/token");
    }

    @Test
    void aMalformedTenantIsNamedAndTheUrlIsNotBlamedForIt() {
        MockEnvironment env = environment("ac me");
        new TenantUrls().postProcessEnvironment(env, null);

        assertThat(env.getProperty("seismic.auth-url")).contains("{tenant}");
        assertThatThrownBy(() -> SettingsConfiguration.check(env, SINK_TYPES))
                .hasMessageContaining("BATON_SEISMIC_TENANT is malformed")
                .hasMessageNotContaining("BATON_SEISMIC_AUTH_URL");
    }
}
