package dev.batonseismic.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One emulator per test class, started by the class with its settings; before each test the tenant, request log,
 * faults, limiter and tokens are reset and a fresh token with the app's scopes is at hand.
 */
abstract class EmulatorTestSupport {
    static SeismicEmulator emulator;
    static EmulatorHttp http;
    static String token;

    static void start(EmulatorSettings settings) {
        emulator = SeismicEmulator.start(settings);
        http = new EmulatorHttp(emulator.baseUrl());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void freshTenantAndToken() {
        emulator.reset();
        token = http.token(emulator.settings(), null);
    }
}
