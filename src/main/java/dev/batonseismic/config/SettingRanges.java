package dev.batonseismic.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.quartz.CronExpression;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

/**
 * Checks the tuning settings that have defaults (numbers, durations, choices, the cron): a malformed value becomes one
 * sentence naming its environment variable, like the required settings, instead of a failure deep in a bean or a route.
 */
final class SettingRanges {
    private record IntRange(String property, int min, int max) {}

    private record DurationRange(String property, Duration min) {}

    private static final List<IntRange> INTS = List.of(
            new IntRange("sync.page-size", 1, 100),
            new IntRange("sync.concurrency", 1, 64),
            new IntRange("sync.progress-every-pages", 1, Integer.MAX_VALUE),
            new IntRange("sync.history", 1, 100_000),
            new IntRange("sync.reporting-page-size", 1, 10_000),
            new IntRange("seismic.rate-limit.calls", 0, 1_000_000),
            new IntRange("seismic.rate-limit.reserve-percent", 0, 99),
            new IntRange("seismic.retry.max-attempts", 1, 50),
            new IntRange("seismic.http.connect-timeout-ms", 1, Integer.MAX_VALUE),
            new IntRange("seismic.http.response-timeout-ms", 1, Integer.MAX_VALUE),
            new IntRange("provisioning.results-cache-size", 0, 10_000_000),
            new IntRange("provisioning.max-request-bytes", 1024, 10 * 1024 * 1024),
            new IntRange("provisioning.redelivery.max-deliveries", 1, 10_000),
            new IntRange("provisioning.jms.concurrent-consumers", 1, 1000));

    private static final List<DurationRange> DURATIONS = List.of(
            new DurationRange("seismic.rate-limit.window", Duration.ofMillis(1)),
            new DurationRange("seismic.rate-limit.margin", Duration.ZERO),
            new DurationRange("seismic.retry.initial-backoff", Duration.ZERO),
            new DurationRange("seismic.token-refresh-margin", Duration.ZERO),
            new DurationRange("seismic.health.retry-after", Duration.ofMillis(1)),
            new DurationRange("provisioning.redelivery.initial-delay", Duration.ZERO),
            new DurationRange("provisioning.redelivery.max-delay", Duration.ZERO),
            new DurationRange("connector.cluster.acquire-lock-interval", Duration.ofMillis(1)));

    private SettingRanges() {}

    /** The environment variable Spring's relaxed binding maps to a property, e.g. SYNC_PAGE_SIZE for sync.page-size. */
    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static void check(Environment env, List<String> problems) {
        for (IntRange r : INTS) {
            String v = value(env, r.property());
            if (v == null) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                n = Long.MIN_VALUE;
            }
            if (n < r.min() || n > r.max()) {
                problems.add(malformed(r.property(), "a whole number " + (r.max() == Integer.MAX_VALUE ? "of at least " + r.min()
                        : "from " + r.min() + " to " + r.max()), v));
            }
        }
        for (DurationRange r : DURATIONS) {
            String v = value(env, r.property());
            if (v == null) {
                continue;
            }
            Duration d;
            try {
                d = DurationStyle.detectAndParse(v);
            } catch (IllegalArgumentException e) {
                d = null;
            }
            if (d == null || d.compareTo(r.min()) < 0) {
                problems.add(malformed(r.property(), "a duration such as 500ms, 30s or 2m" + (r.min().isZero() ? "" : ", above zero"), v));
            }
        }
        String deleteMode = value(env, "provisioning.delete-mode");
        if (deleteMode != null && !deleteMode.equals("delete") && !deleteMode.equals("deactivate")) {
            problems.add(malformed("provisioning.delete-mode", "delete or deactivate", deleteMode));
        }
        String cron = value(env, "sync.cron");
        if (cron != null && !CronExpression.isValidExpression(cron.replace('+', ' '))) {
            problems.add(malformed("sync.cron", "a Quartz cron with + for spaces, e.g. 0+0+0/6+*+*+?", cron));
        }
    }

    private static String value(Environment env, String property) {
        String v = env.getProperty(property);
        return v == null ? null : v.trim();
    }

    private static String malformed(String property, String expected, String got) {
        String shown = got.length() > 80 ? got.substring(0, 80) + "…" : got;
        return envName(property) + " (" + property + ") is malformed: expected " + expected + ", got '" + shown + "'.";
    }
}
