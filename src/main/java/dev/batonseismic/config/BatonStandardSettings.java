package dev.batonseismic.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * baton's standard settings (every baton flag is {@code BATON_} + its name: ConductorOne/baton-sdk
 * {@code pkg/field/defaults.go}) that a baton-seismic deployment brings: those that mean something here are mapped
 * onto this connector's settings, before anything reads them; those that cannot work here are refused by
 * {@link #problems}, one sentence each, so that nothing a manifest sets is ignored silently.
 * <ul>
 * <li>{@code BATON_LOG_LEVEL} (debug, info, warn, error): the connector's own loggers; warn and error also the root
 * logger (debug keeps the frameworks at info, whose debug output would bury the connector's).</li>
 * <li>{@code BATON_LOG_FORMAT} (console, json): json is Spring Boot's ECS JSON lines (as the container profile), console
 * the plain lines; unset, a profile's format (container: json), else baton's default: console on a terminal, else
 * json. The tests and the demo log through {@code logback-test.xml}, plain lines whatever the format.</li>
 * <li>{@code BATON_HTTP_TIMEOUT_SECONDS}: each Seismic call's response timeout.</li>
 * <li>{@code BATON_TASK_CONCURRENCY}: ConductorOne tasks carried out at once in service mode.</li>
 * <li>{@code BATON_C1Z_TEMP_DIR}: where a service-mode sync's {@code .c1z} waits for its upload.</li>
 * <li>{@code BATON_WORKERS} (1 to 64): the sync's calls at once ({@code sync.concurrency}); 0 and -1 leave it.</li>
 * <li>{@code BATON_LOG_PATH}: a log file beside the console ({@code logging.file.name}).</li>
 * <li>{@code BATON_STORAGE_ENGINE}: sqlite, what this connector writes; pebble is refused.</li>
 * </ul>
 * baton's tuning variables of an engine this connector does not have ({@link #NO_EFFECT}) are let be with a warning.
 * A mapped value is a default: the connector's own setting, where also given ({@code C1_TASK_CONCURRENCY}), wins.
 */
public class BatonStandardSettings implements EnvironmentPostProcessor, Ordered {
    static final List<String> LEVELS = List.of("debug", "info", "warn", "error");
    static final List<String> FORMATS = List.of("console", "json");

    /** baton flags with no meaning for this connector, and why, as the sentence's end. */
    static final Map<String, String> UNSUPPORTED = new LinkedHashMap<>();

    static {
        String tickets = "this connector has no ticketing (Seismic has no ticket system for baton to open tickets in)";
        each(UNSUPPORTED, tickets, "TICKETING", "CREATE_TICKET", "BULK_CREATE_TICKET", "BULK_TICKET_TEMPLATE_PATH", "GET_TICKET", "LIST_TICKET_SCHEMAS", "TICKET_ID", "TICKET_TEMPLATE_PATH");
        String feeds = "this connector has no event feeds (it reads Seismic's state in syncs, not a stream of its events)";
        each(UNSUPPORTED, feeds, "EVENT_FEED", "EVENT_FEED_ID", "EVENT_FEED_START_AT", "EVENT_FEED_CURSOR");
        String external = "this connector does not merge an external resource file into its syncs";
        UNSUPPORTED.put("BATON_EXTERNAL_RESOURCE_C1Z", external);
        UNSUPPORTED.put("BATON_EXTERNAL_RESOURCE_ENTITLEMENT_ID_FILTER", external);
        String files = "this connector does not diff or compact .c1z files (baton's CLI does: run it on the files)";
        each(UNSUPPORTED, files, "DIFF_SYNCS", "BASE_SYNC_ID", "APPLIED_SYNC_ID", "COMPACT_SYNCS", "COMPACT_OUTPUT_PATH", "COMPACT_FILE_PATHS", "COMPACT_SYNC_IDS");
        String oneShot = "this connector takes provisioning requests over REST, Kafka, JMS or from ConductorOne, not as one-shot "
                + "start-up flags (docs/provisioning.md)";
        each(UNSUPPORTED, oneShot, "GRANT_ENTITLEMENT", "GRANT_PRINCIPAL", "GRANT_PRINCIPAL_TYPE", "REVOKE_GRANT", "CREATE_ACCOUNT_LOGIN", "CREATE_ACCOUNT_EMAIL", "CREATE_ACCOUNT_PROFILE", "DELETE_RESOURCE", "DELETE_RESOURCE_TYPE");
        UNSUPPORTED.put("BATON_KEEP_PREVIOUS_SYNC_C1Z", "this connector reads Seismic afresh in every sync, with no earlier .c1z "
                + "to replay answers from");
        UNSUPPORTED.put("BATON_LOG_LEVEL_DEBUG_EXPIRES_AT", "this connector's debug logging does not end by itself (set "
                + "BATON_LOG_LEVEL back when done)");
        String actions = "this connector has no custom actions or credential rotation (Seismic offers neither to it)";
        each(UNSUPPORTED, actions, "INVOKE_ACTION", "INVOKE_ACTION_ARGS", "ROTATE_CREDENTIALS", "ROTATE_CREDENTIALS_TYPE");
    }

    /** Whether the process writes to a terminal (baton's default log format is console there, else json). */
    private final BooleanSupplier terminal;

    public BatonStandardSettings() {
        this(() -> System.console() != null);
    }

    BatonStandardSettings(BooleanSupplier terminal) {
        this.terminal = terminal;
    }

    /**
     * baton's tuning variables of its own sync engine and {@code .c1z} reader, which this connector does not have: a
     * set one is let be, with a warning at start-up ({@link #notices}), as it changes nothing either way.
     */
    static final Map<String, String> NO_EFFECT = new LinkedHashMap<>();

    static {
        String reader = "it tunes baton's .c1z reader, and this connector only writes .c1z files";
        each(NO_EFFECT, reader, "DECODER_MAX_DECODED_SIZE_MB", "DECODER_MAX_MEMORY_MB", "ZSTD_POOL_DISABLE", "DISABLE_FCS_FAIL_FAST");
        String files = "each sync here is a file of its own (sink.type), with no earlier syncs kept inside it to clean up";
        NO_EFFECT.put("BATON_KEEP_SYNC_COUNT", files);
        NO_EFFECT.put("BATON_SKIP_CLEANUP", files);
        NO_EFFECT.put("BATON_SESSION_STORE_MAXIMUM_SIZE", "this connector keeps no session store for baton's engine");
        NO_EFFECT.put("BATON_AUTH_METHOD", "Seismic is reached with the client credentials of BATON_SEISMIC_CLIENT_ID");
    }

    /** Puts {@code BATON_<name>} with {@code why} for each name. */
    private static void each(Map<String, String> into, String why, String... names) {
        for (String name : names) {
            into.put("BATON_" + name, why);
        }
    }

    /** The baton flags refused here, and why. */
    public static Map<String, String> unsupported() {
        return java.util.Collections.unmodifiableMap(UNSUPPORTED);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Map<String, Object> mapped = new HashMap<>();
        String level = value(env, "BATON_LOG_LEVEL");
        if (LEVELS.contains(level)) {
            mapped.put("logging.level.dev.batonseismic", level.toUpperCase(Locale.ROOT));
            if (level.equals("warn") || level.equals("error")) {
                mapped.put("logging.level.root", level.toUpperCase(Locale.ROOT));
            }
        }
        String format = value(env, "BATON_LOG_FORMAT");
        if (FORMATS.contains(format)) {
            mapped.put("logging.structured.format.console", format.equals("json") ? "ecs" : "");
        } else if (format.isEmpty() && env.getProperty("logging.structured.format.console") == null && !terminal.getAsBoolean()) {
            mapped.put("logging.structured.format.console", "ecs"); // baton's default: console on a terminal, else json
        }
        Integer timeout = number(value(env, "BATON_HTTP_TIMEOUT_SECONDS"), 1, 3600);
        if (timeout != null) {
            mapped.put("seismic.http.response-timeout-ms", String.valueOf(timeout * 1000));
        }
        Integer tasks = number(value(env, "BATON_TASK_CONCURRENCY"), 1, 64);
        if (tasks != null && env.getProperty("C1_TASK_CONCURRENCY") == null) {
            mapped.put("c1.task-concurrency", String.valueOf(tasks));
        }
        Integer workers = number(value(env, "BATON_WORKERS"), 1, 64);
        if (workers != null && env.getProperty("SYNC_CONCURRENCY") == null) {
            mapped.put("sync.concurrency", String.valueOf(workers));
        }
        String logPath = env.getProperty("BATON_LOG_PATH", "").trim();
        if (!logPath.isEmpty() && env.getProperty("logging.file.name") == null) {
            mapped.put("logging.file.name", logPath);
        }
        String tempDir = env.getProperty("BATON_C1Z_TEMP_DIR", "").trim();
        if (!tempDir.isEmpty() && env.getProperty("C1_TEMP_DIR") == null) {
            mapped.put("c1.temp-dir", tempDir);
        }
        if (mapped.isEmpty()) {
            return;
        }
        MapPropertySource source = new MapPropertySource("batonStandardSettings", mapped);
        if (env.getPropertySources().contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            // over application.yaml and its profiles, under what is given by its own name (command line, environment)
            env.getPropertySources().addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
        } else {
            env.getPropertySources().addFirst(source);
        }
    }

    /** What is wrong with the baton settings in {@code env}, one sentence each. */
    static void problems(Environment env, List<String> problems) {
        String level = value(env, "BATON_LOG_LEVEL");
        if (!level.isEmpty() && !LEVELS.contains(level)) {
            problems.add(SettingsBinder.malformedEnv("BATON_LOG_LEVEL", "debug, info, warn or error", level));
        }
        String format = value(env, "BATON_LOG_FORMAT");
        if (!format.isEmpty() && !FORMATS.contains(format)) {
            problems.add(SettingsBinder.malformedEnv("BATON_LOG_FORMAT", "console or json", format));
        }
        String timeout = value(env, "BATON_HTTP_TIMEOUT_SECONDS");
        if (!timeout.isEmpty() && number(timeout, 1, 3600) == null) {
            problems.add(SettingsBinder.malformedEnv("BATON_HTTP_TIMEOUT_SECONDS", "a whole number of seconds from 1 to 3600", timeout));
        }
        String tasks = value(env, "BATON_TASK_CONCURRENCY");
        if (!tasks.isEmpty() && number(tasks, 1, 64) == null) {
            problems.add(SettingsBinder.malformedEnv("BATON_TASK_CONCURRENCY", "a whole number from 1 to 64", tasks));
        }
        if ("true".equalsIgnoreCase(env.getProperty("sync.skip-full-sync", "").trim())) {
            for (String asks : List.of("sync.scheduled", "sync.on-startup")) {
                if ("true".equalsIgnoreCase(env.getProperty(asks, "").trim())) {
                    String name = asks.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
                    problems.add("BATON_SKIP_FULL_SYNC is set (provisioning only, no syncs), but " + name + " asks for syncs: unset one of them.");
                }
            }
        }
        String workers = value(env, "BATON_WORKERS");
        if (!workers.isEmpty() && !workers.equals("0") && !workers.equals("-1") && number(workers, 1, 64) == null) {
            problems.add(SettingsBinder.malformedEnv("BATON_WORKERS", "0, -1 or a whole number from 1 to 64", workers));
        }
        String engine = value(env, "BATON_STORAGE_ENGINE");
        if (engine.equals("pebble")) {
            problems.add("BATON_STORAGE_ENGINE is pebble, but this connector writes the .c1z in SQLite (format v1, which every "
                    + "baton version and ConductorOne read): unset it, or set sqlite.");
        } else if (!engine.isEmpty() && !engine.equals("sqlite")) {
            problems.add(SettingsBinder.malformedEnv("BATON_STORAGE_ENGINE", "sqlite (or pebble, which this connector does not write)", engine));
        }
        UNSUPPORTED.forEach((name, why) -> {
            String v = value(env, name);
            if (!v.isEmpty() && !v.equals("false")) {
                problems.add(name + " is set, but " + why + ": unset it.");
            }
        });
    }

    /** baton variables set here that change nothing, one sentence each, for a warning at start-up. */
    static List<String> notices(Environment env) {
        List<String> notices = new java.util.ArrayList<>();
        NO_EFFECT.forEach((name, why) -> {
            String v = value(env, name);
            if (!v.isEmpty() && !v.equals("false")) {
                notices.add(name + " is set but has no effect here: " + why + ".");
            }
        });
        String workers = value(env, "BATON_WORKERS");
        if (workers.equals("0") || workers.equals("-1")) {
            notices.add("BATON_WORKERS=" + workers + " has no effect here: the sync reads with sync.concurrency ("
                    + env.getProperty("sync.concurrency", "16") + ") calls at once; a number from 1 to 64 sets that.");
        }
        return notices;
    }

    private static String value(Environment env, String name) {
        String v = env.getProperty(name);
        return v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
    }

    private static Integer number(String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            return n >= min && n <= max ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
