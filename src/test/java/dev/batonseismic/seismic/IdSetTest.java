package dev.batonseismic.seismic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdSetTest {

    @Test
    void agreesWithAHashSetOnGuidsAndOtherIds() {
        Random random = new Random(7);
        IdSet ids = new IdSet();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            String id = switch (random.nextInt(6)) {
                case 0 -> Integer.toString(random.nextInt(50_000));                        // numeric ids, many repeats
                case 1 -> new UUID(random.nextInt(1000), random.nextInt(1000)).toString(); // GUIDs, many repeats
                case 2 -> new UUID(random.nextInt(1000), random.nextInt(1000)).toString().toUpperCase(); // not canonical
                default -> UUID.randomUUID().toString();
            };
            assertThat(ids.add(id)).as(id).isEqualTo(expected.add(id));
        }
        assertThat(ids.size()).isEqualTo(expected.size());
    }

    @Test
    void sizedForTheExpectedCountAndStillGrowingPastIt() {
        Random random = new Random(11);
        IdSet ids = new IdSet();
        ids.add(new UUID(1, 1).toString());
        ids.expect(3_001); // an odd table size: not a power of two
        Set<String> expected = new HashSet<>(Set.of(new UUID(1, 1).toString()));
        for (int i = 0; i < 20_000; i++) { // past the expected count: the table doubles from there
            String id = new UUID(random.nextInt(8_000), random.nextInt(2)).toString();
            assertThat(ids.add(id)).as(id).isEqualTo(expected.add(id));
            if (i == 500) {
                ids.expect(100); // smaller than what it holds: no change
            }
        }
        assertThat(ids.size()).isEqualTo(expected.size()).isGreaterThan(10_000);
    }

    @Test
    void guidLookalikesAreNeverTakenForTheGuid() {
        IdSet ids = new IdSet();
        assertThat(ids.add("00000000-0000-0001-0000-000000000001")).isTrue();
        assertThat(ids.add("0-0-1-0-1")).as("UUID.fromString would read it as the same GUID").isTrue();
        assertThat(ids.add("00000000-0000-0001-0000-000000000001")).isFalse();
        assertThat(ids.add("00000000-0000-0000-0000-000000000000")).isTrue();
        assertThat(ids.add("00000000-0000-0000-0000-000000000000")).isFalse();
        assertThat(ids.size()).isEqualTo(3);
    }
}
