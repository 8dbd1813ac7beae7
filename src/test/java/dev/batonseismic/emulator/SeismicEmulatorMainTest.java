package dev.batonseismic.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standalone emulator, started as its own JVM exactly as docs/emulator.md's command does (minus Maven). */
class SeismicEmulatorMainTest {

    @Test
    void standaloneEmulatorServesTokensPagesAndThe429() throws Exception {
        int port = ChildJvm.freePort();
        Process p = new ProcessBuilder(ChildJvm.java(),
                "-cp", System.getProperty("java.class.path"), SeismicEmulatorMain.class.getName(),
                "--port=" + port, "--users=2500", "--rate-limit=30")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("Seismic emulator listening on"));
            assertThat(line).isEqualTo("Seismic emulator listening on http://127.0.0.1:" + port);

            EmulatorHttp http = new EmulatorHttp("http://127.0.0.1:" + port);
            EmulatorSettings defaults = new EmulatorSettings();
            EmulatorHttp.Reply tokenReply = http.tokenRequest("demo", Map.of("grant_type", "delegation",
                    "client_id", defaults.clientId, "client_secret", defaults.clientSecret, "user_id", defaults.delegatedUserId));
            assertThat(tokenReply.status()).isEqualTo(200);
            String token = tokenReply.json().get("access_token").asText();
            int seen = 0;
            int calls = 0;
            for (int start = 1; start <= 2500; start += 100) {
                JsonNode page = http.get("/scim/v2/Users?startIndex=" + start + "&count=100", token).json();
                assertThat(page.get("totalResults").asInt()).isEqualTo(2500);
                seen += page.get("Resources").size();
                calls++;
            }
            assertThat(calls).isEqualTo(25);
            assertThat(seen).isEqualTo(2500);
            for (int i = 0; i < 5; i++) {
                http.get("/scim/v2/Groups", token);
            }
            EmulatorHttp.Reply limited = http.get("/scim/v2/Groups", token);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.json().get("message").asText()).startsWith("Rate limit is exceeded. Try again in ");
        } finally {
            p.destroy();
        }
    }
}
