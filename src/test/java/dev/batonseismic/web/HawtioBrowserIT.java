package dev.batonseismic.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.batonseismic.Application;
import dev.batonseismic.ChildJvm;
import dev.batonseismic.emulator.EmulatorSettings;
import dev.batonseismic.emulator.SeismicEmulator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hawtio as its users see it, in a real browser: the app runs against the Seismic emulator, and
 * {@code scripts/hawtio-browser-check.mjs} drives Debian's headless {@code chromium} through the login page, the Camel
 * routes listed by id, and the {@code sync-run} diagram with its named steps. Screenshots land in {@code target/}.
 * <p>
 * Needs {@code chromium} ({@code CHROMIUM}, default /usr/bin/chromium; {@code .ci/run} installs it when missing) and
 * {@code node}; {@code playwright-core} (pinned) is installed with npm under {@code target/}. Without a browser the test
 * is skipped, saying so, except on CI ({@code CI=true}), where it fails.
 */
class HawtioBrowserIT {
    /** The Playwright driver, pinned: only its browser-automation core, no downloaded browsers. */
    static final String PLAYWRIGHT = "playwright-core@1.65.1";
    static final Path NODE_DIR = Path.of("target", "hawtio-check");

    @TempDir
    Path dir;

    @Test
    void hawtioLogsInListsTheRoutesByIdAndDrawsTheSyncRunDiagram() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            String why = "no browser at " + chromium + ": apt-get install chromium (.ci/run does), or set CHROMIUM";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        installPlaywright();
        try (SeismicEmulator emulator = SeismicEmulator.start(new EmulatorSettings().users(200))) {
            int port = ChildJvm.freePort();
            EmulatorSettings s = emulator.settings();
            Map<String, String> env = new HashMap<>(Map.of("BATON_SEISMIC_API_URL", emulator.baseUrl(),
                    "BATON_SEISMIC_AUTH_URL", emulator.tokenUrl(), "BATON_SEISMIC_CLIENT_ID", s.clientId,
                    "BATON_SEISMIC_CLIENT_SECRET", s.clientSecret, "BATON_SEISMIC_TENANT", s.tenant,
                    "BATON_SEISMIC_DELEGATION_USER_ID", s.delegatedUserId, "SERVER_PORT", String.valueOf(port),
                    "SERVER_ADDRESS", "127.0.0.1", "CONNECTOR_DATA_DIR", dir.resolve("data").toString()));
            env.put("SINK_FILE_DIRECTORY", dir.resolve("out").toString());
            env.put("SYNC_ON_STARTUP", "true"); // the diagram then shows a sync's statistics
            env.putAll(ChildJvm.OPERATOR_ENV);
            Process app = ChildJvm.main(Application.class, env, dir.resolve("app.log")).start();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> {
                            HttpResponse<String> r = ChildJvm.getAsOperator(port, "/api/v1/syncs");
                            return r.statusCode() == 200 && r.body().contains("SUCCEEDED");
                        });
                Path out = dir.resolve("check.log");
                ProcessBuilder check = new ProcessBuilder("node", "scripts/hawtio-browser-check.mjs", "ops", "ops-password",
                        "http://127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(out.toFile());
                check.environment().put("NODE_PATH", NODE_DIR.resolve("node_modules").toAbsolutePath().toString());
                check.environment().put("CHROMIUM", chromium.toString());
                Process browser = check.start();
                boolean ended = browser.waitFor(180, TimeUnit.SECONDS);
                String log = Files.readString(out);
                System.out.println(log);
                assertThat(ended).as("the browser check ends within 3 minutes:\n" + log).isTrue();
                assertThat(browser.exitValue()).as(log).isZero();
                assertThat(log).contains("login asked: true", "route sync-run shown: true", "route provisioning shown: true",
                        "sync-run diagram");
            } finally {
                app.destroy();
                app.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code npm install} of the pinned driver under target/, once per clean build. */
    private static void installPlaywright() throws Exception {
        if (Files.isDirectory(NODE_DIR.resolve("node_modules/playwright-core"))) {
            return;
        }
        Files.createDirectories(NODE_DIR);
        Process npm = new ProcessBuilder(List.of("npm", "install", "--prefix", NODE_DIR.toString(), "--no-save", "--no-package-lock",
                "--no-audit", "--no-fund", PLAYWRIGHT)).inheritIO().start();
        assertThat(npm.waitFor(300, TimeUnit.SECONDS)).as("npm install " + PLAYWRIGHT).isTrue();
        assertThat(npm.exitValue()).as("npm install " + PLAYWRIGHT).isZero();
    }
}
