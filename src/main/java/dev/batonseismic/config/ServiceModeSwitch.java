package dev.batonseismic.config;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * ConductorOne service mode is on when {@code BATON_CLIENT_ID} is set: {@code c1.enabled} follows {@code c1.client-id},
 * and {@code sync.scheduled} (the local cron) is its opposite unless set, since C1 schedules the syncs of a connector
 * in service mode, and off when {@code BATON_SKIP_FULL_SYNC} is set (provisioning only). The routes switch on these
 * ({@code autoStartup}).
 */
public class ServiceModeSwitch implements EnvironmentPostProcessor {
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        boolean c1;
        try {
            c1 = !env.getProperty("c1.client-id", "").isBlank();
        } catch (IllegalArgumentException unresolvedYet) {
            c1 = true; // a placeholder resolved later (a test's dynamic property): a client id is configured
        }
        Map<String, Object> switches = new HashMap<>();
        switches.put("c1.enabled", String.valueOf(c1));
        if (env.getProperty("sync.scheduled") == null) {
            switches.put("sync.scheduled", String.valueOf(!c1 && !skipFullSync(env)));
        }
        env.getPropertySources().addLast(new MapPropertySource("serviceModeSwitch", switches));
    }

    /** Whether {@code sync.skip-full-sync} (BATON_SKIP_FULL_SYNC) is true; a malformed value is the binder's to name. */
    static boolean skipFullSync(ConfigurableEnvironment env) {
        return "true".equalsIgnoreCase(env.getProperty("sync.skip-full-sync", "").trim());
    }
}
