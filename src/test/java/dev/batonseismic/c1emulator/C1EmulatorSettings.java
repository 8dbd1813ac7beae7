package dev.batonseismic.c1emulator;

import java.time.Duration;

/**
 * The C1 emulator's knobs. The client id fields are read once, at start; the others on every request, so a test
 * may change them while the emulator runs.
 */
public final class C1EmulatorSettings {
    /** The client id's name part, which the connector puts first in its user agent. */
    public volatile String clientName = "seismic-test";
    /**
     * The client id's host: deliberately a name that does not resolve, so only {@code BATON_C1_API_HOST} can lead
     * the connector to the emulator; it is also the audience the token endpoint expects.
     */
    public volatile String tokenHost = "acme.conductor.one";
    /** True: the client id carries {@code 127.0.0.1:<port>} itself and the connector needs no {@code BATON_C1_API_HOST}. */
    public volatile boolean clientIdCarriesApiHost = false;
    public volatile Duration tokenLifetime = Duration.ofHours(1);
    /** GetTask's {@code next_poll}. */
    public volatile Duration nextPoll = Duration.ofSeconds(1);
    /** GetTask's (with a task) and Heartbeat's {@code next_heartbeat}. */
    public volatile Duration nextHeartbeat = Duration.ofSeconds(1);
    /** With no task queued, GetTask answers a task of type {@code none} instead of no task at all. */
    public volatile boolean explicitNoneTask = false;
    /**
     * True: the front presents a certificate from a throwaway CA (read at start) that no trust store holds, for a
     * test that the connector refuses an untrusted ConductorOne.
     */
    public volatile boolean untrustedCertificate = false;

    public C1EmulatorSettings clientName(String name) {
        this.clientName = name;
        return this;
    }

    public C1EmulatorSettings tokenHost(String host) {
        this.tokenHost = host;
        return this;
    }

    public C1EmulatorSettings clientIdCarriesApiHost(boolean carries) {
        this.clientIdCarriesApiHost = carries;
        return this;
    }

    public C1EmulatorSettings tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    public C1EmulatorSettings nextPoll(Duration nextPoll) {
        this.nextPoll = nextPoll;
        return this;
    }

    public C1EmulatorSettings nextHeartbeat(Duration nextHeartbeat) {
        this.nextHeartbeat = nextHeartbeat;
        return this;
    }

    public C1EmulatorSettings untrustedCertificate(boolean untrusted) {
        this.untrustedCertificate = untrusted;
        return this;
    }

    public C1EmulatorSettings explicitNoneTask(boolean explicit) {
        this.explicitNoneTask = explicit;
        return this;
    }
}
