package dev.batonseismic.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** baton's standard BATON_* settings: mapped where they mean something here, refused by name where they cannot work. */
class BatonStandardSettingsTest {
    private static final List<String> SINK_TYPES = ValidSettings.SINK_TYPES;

    private static MockEnvironment environment() {
        return ValidSettings.environment();
    }

    @Test
    void theSettingsThatMeanSomethingAreMappedOntoTheConnectors() {
        MockEnvironment env = environment().withProperty("BATON_LOG_LEVEL", "warn").withProperty("BATON_LOG_FORMAT", "json")
                .withProperty("BATON_HTTP_TIMEOUT_SECONDS", "15").withProperty("BATON_TASK_CONCURRENCY", "5")
                .withProperty("BATON_C1Z_TEMP_DIR", "/var/tmp/c1");
        new BatonStandardSettings().postProcessEnvironment(env, null);

        assertThat(env.getProperty("logging.level.dev.batonseismic")).isEqualTo("WARN");
        assertThat(env.getProperty("logging.level.root")).isEqualTo("WARN");
        assertThat(env.getProperty("logging.structured.format.console")).isEqualTo("ecs");
        assertThat(env.getProperty("seismic.http.response-timeout-ms")).isEqualTo("15000");
        assertThat(env.getProperty("c1.task-concurrency")).isEqualTo("5");
        assertThat(env.getProperty("c1.temp-dir")).isEqualTo("/var/tmp/c1");
        SettingsConfiguration.check(env, SINK_TYPES);

        MockEnvironment debugConsole = environment().withProperty("BATON_LOG_LEVEL", "DEBUG").withProperty("BATON_LOG_FORMAT", "console");
        new BatonStandardSettings().postProcessEnvironment(debugConsole, null);
        assertThat(debugConsole.getProperty("logging.level.dev.batonseismic")).isEqualTo("DEBUG");
        assertThat(debugConsole.getProperty("logging.level.root")).as("the frameworks stay at info").isNull();
        assertThat(debugConsole.getProperty("logging.structured.format.console")).as("plain lines").isEmpty();
    }

    @Test
    void unsetTheLogFormatIsBatonsDefaultUnlessAProfileSetsOne() {
        MockEnvironment piped = environment();
        new BatonStandardSettings(() -> false).postProcessEnvironment(piped, null);
        assertThat(piped.getProperty("logging.structured.format.console")).as("not a terminal: json").isEqualTo("ecs");

        MockEnvironment terminal = environment();
        new BatonStandardSettings(() -> true).postProcessEnvironment(terminal, null);
        assertThat(terminal.getProperty("logging.structured.format.console")).as("a terminal: plain lines").isNull();

        MockEnvironment profile = environment().withProperty("logging.structured.format.console", "logstash");
        new BatonStandardSettings(() -> false).postProcessEnvironment(profile, null);
        assertThat(profile.getProperty("logging.structured.format.console")).as("a profile's format stays").isEqualTo("logstash");

        MockEnvironment asked = environment().withProperty("BATON_LOG_FORMAT", "console");
        new BatonStandardSettings(() -> false).postProcessEnvironment(asked, null);
        assertThat(asked.getProperty("logging.structured.format.console")).as("asked for console, piped or not").isEmpty();
    }

    @Test
    void malformedValuesAreNamedOneSentenceEach() {
        MockEnvironment env = environment().withProperty("BATON_LOG_LEVEL", "verbose").withProperty("BATON_LOG_FORMAT", "xml")
                .withProperty("BATON_HTTP_TIMEOUT_SECONDS", "0").withProperty("BATON_TASK_CONCURRENCY", "many");
        new BatonStandardSettings().postProcessEnvironment(env, null);

        InvalidSettingException e = catchThrowableOfType(() -> SettingsConfiguration.check(env, SINK_TYPES), InvalidSettingException.class);
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "BATON_LOG_LEVEL is malformed: expected debug, info, warn or error, got 'verbose'.",
                "BATON_LOG_FORMAT is malformed: expected console or json, got 'xml'.",
                "BATON_HTTP_TIMEOUT_SECONDS is malformed: expected a whole number of seconds from 1 to 3600, got '0'.",
                "BATON_TASK_CONCURRENCY is malformed: expected a whole number from 1 to 64, got 'many'.");
        assertThat(env.getProperty("seismic.http.response-timeout-ms")).as("nothing mapped from a malformed value").isNull();
    }

    @Test
    void aBatonFlagWithNoMeaningHereStopsStartUpWithOneSentenceSayingWhy() {
        for (String flag : BatonStandardSettings.UNSUPPORTED.keySet()) {
            assertThatThrownBy(() -> SettingsConfiguration.check(environment().withProperty(flag, "true"), SINK_TYPES))
                    .as(flag).isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining(flag + " is set, but this connector")
                    .hasMessageEndingWith(": unset it.");
            SettingsConfiguration.check(environment().withProperty(flag, "false"), SINK_TYPES); // false is unset
        }
        assertThatThrownBy(() -> SettingsConfiguration.check(environment().withProperty("BATON_TICKETING", "true"), SINK_TYPES))
                .hasMessageContaining("BATON_TICKETING is set, but this connector has no ticketing");
        assertThat(BatonStandardSettings.UNSUPPORTED).containsKeys("BATON_EVENT_FEED", "BATON_EXTERNAL_RESOURCE_C1Z",
                "BATON_GRANT_ENTITLEMENT", "BATON_COMPACT_SYNCS", "BATON_INVOKE_ACTION");
    }

    @Test
    void skipFullSyncTurnsTheScheduleOffAndRefusesSettingsThatAskForSyncs() {
        MockEnvironment skip = environment().withProperty("sync.skip-full-sync", "true");
        new ServiceModeSwitch().postProcessEnvironment(skip, null);
        assertThat(skip.getProperty("sync.scheduled")).as("no local cron without service mode either").isEqualTo("false");
        SettingsConfiguration.check(skip, SINK_TYPES);

        MockEnvironment syncs = environment().withProperty("sync.skip-full-sync", "true").withProperty("sync.on-startup", "true")
                .withProperty("sync.scheduled", "true");
        new ServiceModeSwitch().postProcessEnvironment(syncs, null);
        InvalidSettingException e = catchThrowableOfType(() -> SettingsConfiguration.check(syncs, SINK_TYPES), InvalidSettingException.class);
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "BATON_SKIP_FULL_SYNC is set (provisioning only, no syncs), but SYNC_SCHEDULED asks for syncs: unset one of them.",
                "BATON_SKIP_FULL_SYNC is set (provisioning only, no syncs), but SYNC_ON_STARTUP asks for syncs: unset one of them.");

        MockEnvironment plain = environment();
        new ServiceModeSwitch().postProcessEnvironment(plain, null);
        assertThat(plain.getProperty("sync.scheduled")).isEqualTo("true");
    }

    @Test
    void batonsConfigFileIsReadAsItsEnvironmentVariablesWhichWin(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("baton.yaml"), """
                seismic-tenant: globex
                log-level: debug
                provisioning: true
                sync-resource-types: [user, group]
                seismic-client-id: from-the-file
                """);
        MockEnvironment env = environment().withProperty("BATON_CONFIG_PATH", file.toString())
                .withProperty("BATON_SEISMIC_CLIENT_ID", "from-the-environment")
                .withProperty("tenant-placeholder", "${BATON_SEISMIC_TENANT:none}");
        new BatonConfigFile().postProcessEnvironment(env, null);
        new BatonStandardSettings().postProcessEnvironment(env, null);

        assertThat(env.getProperty("tenant-placeholder")).as("application.yaml's placeholders see the file").isEqualTo("globex");
        assertThat(env.getProperty("BATON_SYNC_RESOURCE_TYPES")).isEqualTo("user,group");
        assertThat(env.getProperty("BATON_PROVISIONING")).isEqualTo("true");
        assertThat(env.getProperty("BATON_SEISMIC_CLIENT_ID")).as("the environment wins, as in baton").isEqualTo("from-the-environment");
        assertThat(env.getProperty("logging.level.dev.batonseismic")).isEqualTo("DEBUG");
        SettingsConfiguration.check(env, SINK_TYPES);

        MockEnvironment missing = environment().withProperty("BATON_CONFIG_PATH", dir.resolve("nope.yaml").toString());
        new BatonConfigFile().postProcessEnvironment(missing, null);
        assertThat(catchThrowableOfType(() -> SettingsConfiguration.check(missing, SINK_TYPES), InvalidSettingException.class).problems())
                .containsExactly("BATON_CONFIG_PATH names no readable file: '" + dir.resolve("nope.yaml") + "'.");
        java.nio.file.Path list = java.nio.file.Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
        MockEnvironment notAMap = environment().withProperty("BATON_CONFIG_PATH", list.toString());
        new BatonConfigFile().postProcessEnvironment(notAMap, null);
        assertThat(catchThrowableOfType(() -> SettingsConfiguration.check(notAMap, SINK_TYPES), InvalidSettingException.class).problems())
                .containsExactly("The baton configuration file " + list + " is malformed: expected baton's flags by name, e.g. seismic-tenant: acme.");
    }

    @Test
    void workersLogPathAndStorageEngineAreTakenAndTuningOfBatonsOwnEngineIsLetBeWithAWarning() {
        MockEnvironment env = environment().withProperty("BATON_WORKERS", "4").withProperty("BATON_LOG_PATH", "/var/log/seismic.log")
                .withProperty("BATON_STORAGE_ENGINE", "sqlite").withProperty("BATON_ZSTD_POOL_DISABLE", "true");
        new BatonStandardSettings().postProcessEnvironment(env, null);
        assertThat(env.getProperty("sync.concurrency")).isEqualTo("4");
        assertThat(env.getProperty("logging.file.name")).isEqualTo("/var/log/seismic.log");
        SettingsConfiguration.check(env, SINK_TYPES);
        assertThat(BatonStandardSettings.notices(env)).containsExactly("BATON_ZSTD_POOL_DISABLE is set but has no effect here: it tunes "
                + "baton's .c1z reader, and this connector only writes .c1z files.");

        MockEnvironment sequential = environment().withProperty("BATON_WORKERS", "0");
        new BatonStandardSettings().postProcessEnvironment(sequential, null);
        assertThat(sequential.getProperty("sync.concurrency")).isNull();
        assertThat(BatonStandardSettings.notices(sequential)).singleElement().asString().startsWith("BATON_WORKERS=0 has no effect here");

        MockEnvironment pebble = environment().withProperty("BATON_STORAGE_ENGINE", "pebble").withProperty("BATON_WORKERS", "lots");
        assertThat(catchThrowableOfType(() -> SettingsConfiguration.check(pebble, SINK_TYPES), InvalidSettingException.class).problems())
                .containsExactlyInAnyOrder("BATON_WORKERS is malformed: expected 0, -1 or a whole number from 1 to 64, got 'lots'.",
                        "BATON_STORAGE_ENGINE is pebble, but this connector writes the .c1z in SQLite (format v1, which every baton "
                                + "version and ConductorOne read): unset it, or set sqlite.");
    }
}
