package dev.batonseismic.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's smoke run: the same code path as {@code mvn -Pbench} on a tiny tenant (connector in its own JVM,
 * paced against a limit with latency, grants during a second sync, the sequential baseline), asserting only
 * structural outcomes: the minimal call count, no 429, equal counts, every grant done, the JSON result written.
 * No timing is asserted: figures come from the benchmark itself.
 */
class BenchmarkSmokeTest {

    @Test
    void aTinyRegimeMakesTheMinimalCallsEarnsNo429AndCountsLikeTheBaseline() throws Exception {
        Path results = Path.of("target", "bench-smoke").toAbsolutePath();
        Benchmark.Options options = new Benchmark.Options(1, true, 10, "256m", 4, 2, false, results,
                Path.of("target", "bench-smoke-work").toAbsolutePath(), false, 7, "file", false);
        Benchmark.Result result = new Benchmark(options).run(List.of(new Benchmark.Regime("smoke", 300, 600, 60, 5, 10),
                new Benchmark.Regime("smoke-offline", 300, 0, 60, 0, 0)));

        assertThat(result.file()).exists().startsWith(results);
        JsonNode doc = new ObjectMapper().readTree(result.file().toFile());
        assertThat(doc.path("machine").path("cores").asInt()).isPositive();
        JsonNode r = doc.path("regimes").get(0);
        JsonNode connector = r.path("connector");
        assertThat(connector.path("state").asText()).as(connector.toString()).isEqualTo("SUCCEEDED");
        long minimum = r.path("minimumCalls").path("total").asLong();
        assertThat(minimum).isGreaterThan(r.path("minimumCalls").path("scim").asLong());
        assertThat(connector.path("calls").asLong()).as("connector calls").isEqualTo(minimum);
        assertThat(connector.path("rateLimited").asLong()).isZero();
        JsonNode truth = r.path("tenant").path("counts");
        assertThat(truth.path("memberships").asLong()).isPositive();
        assertThat(connector.path("counts")).isEqualTo(truth);
        assertThat(r.path("baseline").path("counts")).isEqualTo(truth);
        assertThat(r.path("baseline").path("calls").asLong()).as("baseline calls").isEqualTo(minimum);
        assertThat(r.path("baseline").path("rateLimited").asLong()).isZero();
        assertThat(connector.path("heap").path("peakUsedMb").asDouble()).isPositive();
        assertThat(connector.path("rss").path("syncPeakMb").asDouble()).isPositive();
        JsonNode provisioning = r.path("provisioning");
        assertThat(new ObjectMapper().convertValue(provisioning.path("outcomes"), Map.class))
                .isEqualTo(Map.of("200 SUCCEEDED", 10));
        assertThat(provisioning.path("syncState").asText()).isEqualTo("SUCCEEDED");
        assertThat(provisioning.path("rateLimited").asLong()).isZero();
        assertThat(r.path("targets").path("callsEqualMinimum").asBoolean()).isTrue();
        assertThat(r.path("targets").path("countsEqualBaseline").asBoolean()).isTrue();

        // offline: the warm second sync in the same connector JVM, checked like the first
        JsonNode offline = doc.path("regimes").get(1);
        assertThat(r.path("concurrency").asInt()).as("calls in flight where they wait for latency").isEqualTo(4);
        assertThat(offline.path("concurrency").asInt()).as("calls in flight without latency").isEqualTo(2);
        assertThat(offline.path("connector").path("counts")).isEqualTo(offline.path("tenant").path("counts"));
        JsonNode warm = offline.path("connector").path("warmSync");
        assertThat(warm.path("state").asText()).as(warm.toString()).isEqualTo("SUCCEEDED");
        assertThat(warm.path("calls").asLong()).as("the minimum, the token aside").isEqualTo(offline.path("minimumCalls").path("total").asLong() - 1);
        assertThat(warm.path("tokenCalls").asLong()).isZero();
        assertThat(warm.path("counts")).isEqualTo(offline.path("tenant").path("counts"));
        assertThat(offline.path("targets").path("warmSyncCountsEqualTruth").asBoolean()).isTrue();
    }

    @Test
    void inServiceModeConductorOneAsksForTheSyncAndReceivesItsUpload() throws Exception {
        Path results = Path.of("target", "bench-smoke").toAbsolutePath();
        Benchmark.Options options = new Benchmark.Options(1, false, 0, "256m", 4, 2, false, results,
                Path.of("target", "bench-smoke-work").toAbsolutePath(), false, 7, "c1", false);
        Benchmark.Result result = new Benchmark(options).run(List.of(new Benchmark.Regime("smoke-c1", 300, 0, 60, 0, 0)));
        JsonNode r = new ObjectMapper().readTree(result.file().toFile()).path("regimes").get(0);
        JsonNode connector = r.path("connector");
        assertThat(connector.path("state").asText()).as(connector.toString()).isEqualTo("SUCCEEDED");
        assertThat(connector.path("counts")).as("the .c1z C1 received").isEqualTo(r.path("tenant").path("counts"));
        assertThat(connector.path("calls").asLong()).isEqualTo(r.path("minimumCalls").path("total").asLong());
        assertThat(connector.path("upload").path("bytes").asLong()).isPositive();
        assertThat(connector.path("upload").path("finished").asBoolean()).isTrue();
        assertThat(connector.path("warmSync").path("counts")).isEqualTo(r.path("tenant").path("counts"));
        assertThat(connector.path("warmSync").path("upload").path("attempts").asInt()).isEqualTo(1);
    }
}
