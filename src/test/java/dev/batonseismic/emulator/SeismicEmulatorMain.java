package dev.batonseismic.emulator;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs the Seismic emulator on its own until Ctrl-C:
 * <pre>
 * mvn spring-boot:test-run -Ddemo.main=dev.batonseismic.emulator.SeismicEmulatorMain \
 *     -Dspring-boot.run.arguments="--port=9090 --users=2500 --seed=42 --latency-ms=0 --rate-limit=600"
 * </pre>
 * Options: --port (default 9090), --users (1000), --seed (42), --latency-ms (0), --rate-limit (600 per 60 s; 0 = off),
 * --rate-window-seconds (60), --token-lifetime-seconds (3600), --tenant (demo).
 */
public final class SeismicEmulatorMain {
    private SeismicEmulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opts = Arrays.stream(args).filter(a -> a.startsWith("--") && a.contains("="))
                .collect(Collectors.toMap(a -> a.substring(2, a.indexOf('=')), a -> a.substring(a.indexOf('=') + 1)));
        EmulatorSettings s = new EmulatorSettings();
        s.tenant = opts.getOrDefault("tenant", s.tenant);
        s.users = Integer.parseInt(opts.getOrDefault("users", "1000"));
        s.seed = Long.parseLong(opts.getOrDefault("seed", "42"));
        s.latencyMs = Long.parseLong(opts.getOrDefault("latency-ms", "0"));
        s.rateLimit = Integer.parseInt(opts.getOrDefault("rate-limit", "600"));
        s.rateWindowSeconds = Integer.parseInt(opts.getOrDefault("rate-window-seconds", "60"));
        s.tokenLifetimeSeconds = Long.parseLong(opts.getOrDefault("token-lifetime-seconds", "3600"));
        int port = Integer.parseInt(opts.getOrDefault("port", "9090"));
        SeismicEmulator emulator = SeismicEmulator.start(s, port);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stop.countDown();
        }));
        System.out.println(describe(emulator));
        stop.await();
    }

    static String describe(SeismicEmulator e) {
        EmulatorSettings s = e.settings();
        return String.join(System.lineSeparator(),
                "Seismic emulator listening on " + e.baseUrl(),
                "  tenant            " + s.tenant + " (" + e.truth().counts() + ")",
                "  token URL         " + e.tokenUrl(),
                "  client id         " + s.clientId,
                "  client secret     " + s.clientSecret,
                "  delegated user    " + s.delegatedUserId,
                "  rate limit        " + (s.rateLimit <= 0 ? "off" : s.rateLimit + " calls / " + s.rateWindowSeconds + " s"),
                "  latency           " + s.latencyMs + " ms",
                "  control           " + e.baseUrl() + "/_emulator");
    }
}
