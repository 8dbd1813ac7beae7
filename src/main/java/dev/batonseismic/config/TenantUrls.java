package dev.batonseismic.config;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets {@code BATON_SEISMIC_AUTH_URL} (and {@code BATON_SEISMIC_API_URL}) be written as Seismic documents them,
 * {@code https://auth.seismic.com/tenants/{tenant}/connect/token}: the {@code {tenant}} is filled in from
 * {@code BATON_SEISMIC_TENANT} before anything reads them (the token client, and the API route's
 * {@code {{seismic.api-url}}}). A missing or malformed tenant is left to start-up validation, which names it.
 */
public class TenantUrls implements EnvironmentPostProcessor, Ordered {
    static final String PLACEHOLDER = "{tenant}";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String tenant = env.getProperty("seismic.tenant", "").trim();
        if (!SettingsConfiguration.validTenant(tenant)) {
            return;
        }
        Map<String, Object> expanded = new HashMap<>();
        for (String property : new String[] {"seismic.api-url", "seismic.auth-url"}) {
            String url = env.getProperty(property, "");
            if (url.contains(PLACEHOLDER)) {
                expanded.put(property, SettingsConfiguration.withTenant(url, tenant));
            }
        }
        if (!expanded.isEmpty()) {
            env.getPropertySources().addFirst(new MapPropertySource("seismicTenantUrls", expanded));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
