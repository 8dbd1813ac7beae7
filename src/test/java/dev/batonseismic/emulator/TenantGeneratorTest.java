package dev.batonseismic.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantGeneratorTest {

    private static GroundTruth truth(int users, long seed) {
        TenantStore store = new TenantStore(java.time.Clock.systemUTC());
        TenantGenerator.Tenant t = TenantGenerator.generate(users, seed, "6d1f3b2a-8c4e-4f7a-b0d9-5e2c1a9f0001", "acme");
        store.replaceAll(t.users(), t.groups(), t.catalog());
        return GroundTruth.of(store);
    }

    @Test
    void sameSeedSameTenantOtherSeedOtherTenant() {
        GroundTruth a = truth(500, 7);
        GroundTruth b = truth(500, 7);
        assertThat(a.users()).isEqualTo(b.users());
        assertThat(a.memberships()).isEqualTo(b.memberships());
        assertThat(a.roleHolders()).isEqualTo(b.roleHolders());
        assertThat(truth(500, 8).users().keySet()).isNotEqualTo(a.users().keySet());
    }

    @Test
    void tenantHasTheVarietyASyncMustHandle() {
        GroundTruth t = truth(2500, 42);
        Map<String, Long> c = t.counts();
        assertThat(c.get("users")).isEqualTo(2500);
        assertThat(c.get("inactiveUsers")).isBetween(150L, 350L);
        assertThat(c.get("nonSeismicUsers")).isPositive();
        assertThat(t.licenseHolders().keySet()).containsExactly("Business", TenantGenerator.UNKNOWN_TIER, "Partner", "Premium");
        assertThat(t.users().values()).anySatisfy(u -> assertThat(u.roles()).containsAnyOf("Learner", "Manager"));
        assertThat(t.users().values()).anySatisfy(u -> assertThat(u.roles()).contains(TenantGenerator.DELETED_ROLE));
        assertThat(t.users().values()).anySatisfy(u -> assertThat(u.emails()).hasSize(2));
        assertThat(t.users().values()).anySatisfy(u -> assertThat(u.active()).isFalse());
        List<Integer> sizes = t.memberships().values().stream().map(List::size).toList();
        assertThat(sizes).contains(0);
        assertThat(sizes).anySatisfy(n -> assertThat(n).isGreaterThan(200));
        assertThat(sizes).anySatisfy(n -> assertThat(n).isBetween(1, 99));
        assertThat(t.roleHolders().values()).anySatisfy(h -> assertThat(h).isEmpty());
        assertThat(t.roleNames().values()).doesNotContain(TenantGenerator.DELETED_ROLE, "Business");
        // inactive users keep their access
        String locked = t.users().values().stream().filter(u -> !u.active() && !"NonSeismic".equals(u.userType())).findFirst().orElseThrow().id();
        assertThat(t.licenseHolders().values()).anySatisfy(h -> assertThat(h).contains(locked));
    }

    @Test
    void emptyTenant() {
        GroundTruth t = truth(0, 1);
        assertThat(t.counts().get("users")).isZero();
        assertThat(t.memberships().values()).allSatisfy(m -> assertThat(m).isEmpty());
        assertThat(t.minimalScimCalls()).isEqualTo(1 + 1 + t.memberships().size());
    }

    @Test
    void holdsAHundredThousandUsers() {
        EmulatorSettings s = new EmulatorSettings().users(100_000).rateLimit(0, 60);
        try (SeismicEmulator e = SeismicEmulator.start(s)) {
            EmulatorHttp http = new EmulatorHttp(e.baseUrl());
            String token = http.token(s, null);
            assertThat(http.get("/scim/v2/Users?count=0", token).json().get("totalResults").asInt()).isEqualTo(100_000);
            assertThat(http.get("/scim/v2/Users?startIndex=99901&count=100", token).json().get("Resources").size()).isEqualTo(100);
            assertThat(e.truth().counts().get("groups")).isEqualTo(4000);
        }
    }
}
