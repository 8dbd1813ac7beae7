package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KsuidTest {
    @Test
    void twentySevenBase62CharactersOrderedByTime() {
        String earlier = Ksuid.next(Instant.parse("2024-01-01T00:00:00Z"));
        String later = Ksuid.next(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(earlier).hasSize(27).matches("[0-9A-Za-z]{27}");
        assertThat(later.compareTo(earlier)).isPositive();
        Set<String> many = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            many.add(Ksuid.next(Instant.now()));
        }
        assertThat(many).hasSize(1000);
    }
}
