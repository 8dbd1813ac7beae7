package dev.batonseismic.config;

import java.util.List;
import org.springframework.mock.env.MockEnvironment;

/** Settings that pass {@link SettingsConfiguration#check}: the base a settings test changes one value of. */
public final class ValidSettings {
    /** The names SINK_TYPE takes in this version (at start-up they are read from the sink beans). */
    public static final List<String> SINK_TYPES = List.of("file", "c1z", "c1");

    private ValidSettings() {}

    public static MockEnvironment environment() {
        return new MockEnvironment()
                .withProperty("seismic.client-id", "client-1")
                .withProperty("seismic.client-secret", "s3cr3t-never-print-me")
                .withProperty("seismic.tenant", "acme")
                .withProperty("seismic.api-url", "https://api.seismic.com")
                .withProperty("seismic.auth-url", "https://auth.seismic.com/tenants/acme/connect/token")
                .withProperty("seismic.scopes", "seismic.user.view")
                .withProperty("connector.security.users[0].name", "admin")
                .withProperty("connector.routes-dir-resolved", "routes");
    }
}
