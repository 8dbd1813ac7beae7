package dev.batonseismic.seismic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batonseismic.config.ConnectorSettings;
import dev.batonseismic.emulator.EmulatorSettings;
import dev.batonseismic.emulator.SeismicEmulator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token processor on its own against the emulator: caching, and the delegated user from the callback's file. */
class SeismicTokenTest {
    static SeismicEmulator emulator;

    @TempDir
    Path data;

    @BeforeAll
    static void start() {
        emulator = SeismicEmulator.start(new EmulatorSettings().users(5));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private SeismicToken token(String delegationUserId) {
        EmulatorSettings s = emulator.settings();
        ConnectorSettings settings = new ConnectorSettings(s.clientId, s.clientSecret, s.tenant, delegationUserId,
                URI.create(emulator.baseUrl()), URI.create(emulator.tokenUrl()), List.of("seismic.user.view"), false, "routes");
        return new SeismicToken(settings, new DelegationUser(settings, data.toString(), ""), Duration.ofSeconds(60), 5000, 5000);
    }

    @Test
    void usesTheStoredDelegatedUserWhenTheSettingIsAbsent() throws Exception {
        SeismicToken token = token(null);
        assertThatThrownBy(token::current).isInstanceOf(SeismicAuthException.class).hasMessageContaining("no delegated user yet");
        Files.writeString(data.resolve("delegation-user-id"), emulator.settings().delegatedUserId);
        assertThat(token.current().value()).isNotBlank();
        assertThat(token.current().scopes()).containsExactly("seismic.user.view");
    }

    @Test
    void cachesTheTokenUntilShortlyBeforeItExpires() {
        SeismicToken token = token(emulator.settings().delegatedUserId);
        emulator.requests().clear();
        String first = token.current().value();
        assertThat(token.current().value()).isEqualTo(first);
        assertThat(emulator.requests().count("POST /tenants/{tenant}/connect/token")).isEqualTo(1);
        token.invalidate("Bearer " + first);
        assertThat(token.current().value()).isNotEqualTo(first);
        assertThat(emulator.requests().count("POST /tenants/{tenant}/connect/token")).isEqualTo(2);
    }
}
