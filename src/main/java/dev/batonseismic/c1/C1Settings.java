package dev.batonseismic.c1;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

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

    /** Reads and checks the settings; each problem becomes one sentence in {@code problems}. Disabled: the rest is null. */
    public static C1Settings read(Environment env, List<String> problems) {
        String clientId = text(env, "c1.client-id");
        String secret = text(env, "c1.client-secret");
        String sinkType = text(env, "sink.type").toLowerCase(Locale.ROOT);
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
        String hostId = text(env, "c1.host-id");
        if (hostId.isEmpty()) {
            hostId = hostName();
        }
        if (hostId.length() > MAX_HOST_ID || hostId.chars().anyMatch(Character::isISOControl)) {
            problems.add("BATON_HOST_ID is malformed: expected at most " + MAX_HOST_ID + " printable characters.");
        }
        String apiHost = text(env, "c1.api-host");
        HostAndPort address = null;
        if (!apiHost.isEmpty() && !HostAndPort.valid(apiHost)) {
            problems.add("BATON_C1_API_HOST is malformed: expected host[:port], e.g. acme.conductor.one or 10.0.0.5:8443, got '"
                    + (apiHost.length() > 80 ? apiHost.substring(0, 80) + "…" : apiHost) + "'.");
        } else if (!apiHost.isEmpty()) {
            address = HostAndPort.parse(apiHost, 443);
        } else if (credentials != null) {
            address = HostAndPort.parse(credentials.tokenHost(), 443);
        }
        int concurrency = number(env, "c1.task-concurrency", 3, 1, 64, problems);
        Duration callTimeout = duration(env, "c1.call-timeout", Duration.ofSeconds(30), problems);
        Duration maxBackoff = duration(env, "c1.max-backoff", Duration.ofMinutes(5), problems);
        int finishRetries = number(env, "c1.finish-retries", 6, 0, 100, problems);
        number(env, "c1.finish-retry-delay", 1000, 1, 600_000, problems);
        String temp = text(env, "c1.temp-dir");
        Path tempDir = Path.of(temp.isEmpty() ? System.getProperty("java.io.tmpdir") : temp).toAbsolutePath().normalize();
        return new C1Settings(true, credentials, hostId, address, concurrency, callTimeout, maxBackoff, finishRetries, tempDir);
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

    private static String text(Environment env, String property) {
        String v = env.getProperty(property);
        return v == null ? "" : v.trim();
    }

    private static int number(Environment env, String property, int fallback, int min, int max, List<String> problems) {
        String v = text(env, property);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(envName(property) + " (" + property + ") is malformed: expected a whole number from " + min + " to " + max
                + ", got '" + v + "'.");
        return fallback;
    }

    private static Duration duration(Environment env, String property, Duration fallback, List<String> problems) {
        String v = text(env, property);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            Duration d = DurationStyle.detectAndParse(v);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(envName(property) + " (" + property + ") is malformed: expected a duration such as 500ms, 30s or 2m, above zero, got '"
                + v + "'.");
        return fallback;
    }

    private static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return "C1Settings[enabled=" + enabled + ", credentials=" + credentials + ", hostId=" + hostId + ", apiAddress=" + apiAddress + "]";
    }
}
