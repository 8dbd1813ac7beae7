package dev.batonseismic.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a partial sync reads, from ConductorOne's resource types and skip flags. */
class SyncScopeTest {
    @Test
    void noTypesIsEveryTypeAndAFullSyncReadsEverything() {
        SyncScope s = SyncScope.of(List.of(), false, false);
        assertThat(s.full()).isTrue();
        assertThat(s.describe()).isEqualTo("full");
        assertThat(List.of(s.readsUsers(), s.readsGroups(), s.readsMembers(), s.readsCatalog(), s.entitlements(), s.grants()))
                .containsOnly(true);
    }

    @Test
    void groupsWithoutGrantsReadNoMembersAndNoUsers() {
        SyncScope s = SyncScope.of(List.of("group"), true, false);
        assertThat(s.full()).isFalse();
        assertThat(s.readsGroups()).isTrue();
        assertThat(s.readsMembers()).isFalse();
        assertThat(s.readsUsers()).isFalse();
        assertThat(s.readsCatalog()).isFalse();
        assertThat(s.entitlements()).isTrue();
        assertThat(s.describe()).isEqualTo("group, no grants");
    }

    @Test
    void rolesNeedTheUsersForTheirGrantsUnlessGrantsAreSkipped() {
        assertThat(SyncScope.of(List.of("role"), false, false).readsUsers()).isTrue();
        assertThat(SyncScope.of(List.of("role"), false, true).readsUsers()).isFalse();
        assertThat(SyncScope.of(List.of("role"), false, true).entitlements()).isFalse();
        assertThat(SyncScope.of(List.of("user", "license"), false, false).describe()).isEqualTo("user,license");
    }

    @Test
    void anUnknownTypeIsNamed() {
        assertThatThrownBy(() -> SyncScope.of(List.of("user", "team"), false, false))
                .hasMessage("unknown resource type 'team': this connector syncs user, group, role, license");
    }
}
