package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.emulator.GroundTruth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The client-side pacer against a tight limit: Seismic allows 40 calls per 2 s here, the connector is told the same,
 * and a sync that needs about 70 calls finishes without a single 429. (Its own context: the pacer is configured at start.)
 */
@TestPropertySource(properties = {"seismic.rate-limit.calls=40", "seismic.rate-limit.window=2s", "seismic.rate-limit.margin=300ms"})
class PacedSyncTest extends SyncTestSupport {

    @AfterEach
    void limitOff() {
        EMULATOR.settings().rateLimit(0, 60);
    }

    @Test
    void aSyncWithinTheBudgetEarnsNo429() throws Exception {
        EMULATOR.regenerate(1500, 5);
        EMULATOR.requests().clear();
        EMULATOR.settings().rateLimit(40, 2);
        GroundTruth truth = EMULATOR.truth();
        JsonNode status = syncToEnd();
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.requests().entries()).noneMatch(e -> e.status() == 429);
        assertThat(status.get("rateLimited").asInt()).isZero();
        assertThat(status.get("apiCalls").asLong()).isEqualTo(truth.minimalScimCalls() + 1).isGreaterThan(40);
    }
}
