package dev.batonseismic.c1;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * ConductorOne service mode's settings (baton-sdk {@code pkg/cli/commands.go}, {@code service_client.go}): a non-empty
 * {@code BATON_CLIENT_ID} turns it on, {@code BATON_CLIENT_SECRET} is then required; {@code BATON_HOST_ID} (else the host
 * name) names this connector towards C1; {@code BATON_C1_API_HOST} replaces the client id's host for the token and gRPC
 * calls. Service mode is the C1 sink: an explicit {@code SINK_TYPE} other than {@code c1} beside C1 credentials is a
 * configuration error, as is {@code SINK_TYPE=c1} without them.
 */
public record C1Settings(boolean enabled, C1Credentials credentials, String hostId, HostAndPort apiAddress,
                         int taskConcurrency, Duration callTimeout, Duration maxBackoff, int finishRetries, Path tempDir) {
    /** The sink type that is service mode. */
    public static final String SINK_TYPE = "c1";
    static final int MAX_HOST_ID = 256;

    /**
     * Checks what needs several settings at once (the credentials, SINK_TYPE beside them, the host) and gives the
     * settings; each problem becomes one sentence in {@code problems}. Disabled: the rest is null.
     */
    public static C1Settings read(C1Properties c1, String sinkType, List<String> problems) {
        String clientId = trim(c1.clientId());
        String secret = trim(c1.clientSecret());
        sinkType = trim(sinkType).toLowerCase(Locale.ROOT);
        boolean enabled = !clientId.isEmpty();
        if (!enabled) {
            if (sinkType.equals(SINK_TYPE)) {
                problems.add("SINK_TYPE=c1 (ConductorOne service mode) needs BATON_CLIENT_ID and BATON_CLIENT_SECRET: "
                        + "set them to the client ConductorOne created for this connector.");
            } else if (!secret.isEmpty()) {
                problems.add("BATON_CLIENT_SECRET is set but BATON_CLIENT_ID is not: ConductorOne service mode needs both.");
            }
            return new C1Settings(false, null, null, null, 0, null, null, 0, null);
        }
        if (!sinkType.isEmpty() && !sinkType.equals(SINK_TYPE)) {
            problems.add("SINK_TYPE=" + sinkType + " and BATON_CLIENT_ID are both set: BATON_CLIENT_ID turns on ConductorOne "
                    + "service mode, where syncs go to ConductorOne; unset SINK_TYPE (or set it to c1), or unset BATON_CLIENT_ID "
                    + "to write " + sinkType + " output.");
        }
        C1Credentials credentials = null;
        try {
            credentials = C1Credentials.parse(clientId, secret);
        } catch (C1CredentialsException e) {
            problems.addAll(e.problems());
        }
        String hostId = trim(c1.hostId());
        if (hostId.isEmpty()) {
            hostId = hostName();
        }
        if (hostId.length() > MAX_HOST_ID || hostId.chars().anyMatch(Character::isISOControl)) {
            problems.add("BATON_HOST_ID is malformed: expected at most " + MAX_HOST_ID + " printable characters.");
        }
        String apiHost = trim(c1.apiHost());
        HostAndPort address = null;
        if (!apiHost.isEmpty() && !HostAndPort.valid(apiHost)) {
            problems.add("BATON_C1_API_HOST is malformed: expected host[:port], e.g. acme.conductor.one or 10.0.0.5:8443, got '"
                    + (apiHost.length() > 80 ? apiHost.substring(0, 80) + "…" : apiHost) + "'.");
        } else if (!apiHost.isEmpty()) {
            address = HostAndPort.parse(apiHost, 443);
        } else if (credentials != null) {
            address = HostAndPort.parse(credentials.tokenHost(), 443);
        }
        String temp = trim(c1.tempDir());
        Path tempDir = Path.of(temp.isEmpty() ? System.getProperty("java.io.tmpdir") : temp).toAbsolutePath().normalize();
        return new C1Settings(true, credentials, hostId, address, orZero(c1.taskConcurrency()), c1.callTimeout(), c1.maxBackoff(),
                orZero(c1.finishRetries()), tempDir);
    }

    /** The host name, as baton-sdk's {@code getHostID} falls back to it; a fixed name when there is none. */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (Exception e) {
            // no resolvable host name
        }
        return "seismic-connector";
    }

    private static String trim(String v) {
        return v == null ? "" : v.trim();
    }

    private static int orZero(Integer n) {
        return n == null ? 0 : n;
    }

    @Override
    public String toString() {
        return "C1Settings[enabled=" + enabled + ", credentials=" + credentials + ", hostId=" + hostId + ", apiAddress=" + apiAddress + "]";
    }
}
