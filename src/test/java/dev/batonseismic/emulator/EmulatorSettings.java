package dev.batonseismic.emulator;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The emulator's knobs. Public mutable fields so tests, the command line and {@code PUT /_emulator/settings}
 * can change them while it runs; every field is read on each request.
 */
public final class EmulatorSettings {
    /** Tenant name, the {tenant} of the token URL. */
    public volatile String tenant = "demo";
    /** The app registration: client id, secret, the delegated user, and the scopes granted to the app. */
    public volatile String clientId = "0b7c2f7e-5d1e-4e8a-9a51-3c2d7f10a001";
    public volatile String clientSecret = "emulator-client-secret";
    public volatile String delegatedUserId = "6d1f3b2a-8c4e-4f7a-b0d9-5e2c1a9f0001";
    public volatile Set<String> appScopes = new LinkedHashSet<>(List.of("seismic.user.view", "seismic.user.manage", "seismic.reporting"));
    /** False simulates a client id/secret that Seismic has not activated yet (invalid_client). */
    public volatile boolean clientActive = true;
    public volatile long tokenLifetimeSeconds = 3600;
    /** Calls allowed per window per tenant; 0 switches the limit off. */
    public volatile int rateLimit = 600;
    public volatile int rateWindowSeconds = 60;
    /** Seismic sends no Retry-After; true adds one to 429 answers. */
    public volatile boolean retryAfterHeader = false;
    /** Added to every response (token endpoint included). */
    public volatile long latencyMs = 0;
    /** Tenant generation: number of users and the seed. */
    public volatile int users = 1000;
    public volatile long seed = 42;

    public EmulatorSettings users(int users) {
        this.users = users;
        return this;
    }

    public EmulatorSettings seed(long seed) {
        this.seed = seed;
        return this;
    }

    public EmulatorSettings rateLimit(int calls, int windowSeconds) {
        this.rateLimit = calls;
        this.rateWindowSeconds = windowSeconds;
        return this;
    }

    public EmulatorSettings latencyMs(long latencyMs) {
        this.latencyMs = latencyMs;
        return this;
    }

    public EmulatorSettings tokenLifetimeSeconds(long seconds) {
        this.tokenLifetimeSeconds = seconds;
        return this;
    }
}
