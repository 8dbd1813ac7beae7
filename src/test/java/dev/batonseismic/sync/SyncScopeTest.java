package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A sync's scope from ConductorOne's resource types and skip flags (what each type then reads: ResourceUnitsTest). */
class SyncScopeTest {
    static final List<String> KNOWN = List.of("user", "group", "role", "license");

    @Test
    void noTypesIsEveryType() {
        SyncScope s = SyncScope.of(List.of(), false, false, KNOWN);
        assertThat(s.full()).isTrue();
        assertThat(s.describe()).isEqualTo("full");
        assertThat(s.batonSyncType()).isEqualTo("full");
        assertThat(List.of(s.entitlements(), s.grants())).containsOnly(true);
        assertThat(SyncScope.full(KNOWN)).isEqualTo(s);
    }

    @Test
    void someTypesOrNoGrantsArePartial() {
        SyncScope s = SyncScope.of(List.of("group"), true, false, KNOWN);
        assertThat(s.full()).isFalse();
        assertThat(s.includes("group")).isTrue();
        assertThat(s.includes("user")).isFalse();
        assertThat(s.entitlements()).isTrue();
        assertThat(s.grants()).isFalse();
        assertThat(s.describe()).isEqualTo("group, no grants");
        assertThat(s.batonSyncType()).isEqualTo("partial");
        SyncScope resourcesOnly = SyncScope.of(List.of(), false, true, KNOWN);
        assertThat(resourcesOnly.entitlements()).isFalse();
        assertThat(resourcesOnly.batonSyncType()).isEqualTo("resources_only");
        assertThat(SyncScope.of(List.of("license", "user"), false, false, KNOWN).describe()).as("in the types' order").isEqualTo("user,license");
    }

    @Test
    void anUnknownTypeIsNamed() {
        assertThatThrownBy(() -> SyncScope.of(List.of("user", "team"), false, false, KNOWN))
                .hasMessage("unknown resource type 'team': this connector syncs user, group, role, license");
    }
}
