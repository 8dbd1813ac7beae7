package dev.batonseismic.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.model.BatonRecords;
import dev.batonseismic.resources.ResourceUnit.SyncRead;
import dev.batonseismic.sync.SyncScope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the one list of resource types derives: the sync's reads for a scope, counts, the guard, the dispatch. */
class ResourceUnitsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The registry with the record-building parts of each type (no Seismic, no Camel). */
    static ResourceUnits units() {
        BatonRecords baton = new BatonRecords(JSON);
        UserResources users = UserResourcesTest.users(JSON);
        LicenseResources licenses = new LicenseResources(baton);
        return new ResourceUnits(List.of(licenses, users, new GroupResources(JSON, baton, null),
                new RoleResources(JSON, baton, null, null, users, licenses, null)));
    }

    final ResourceUnits units = units();

    private List<String> reads(SyncScope scope, SyncRead when) {
        return units.reads(scope, when);
    }

    @Test
    void aFullSyncReadsTheCatalogThenUsersAndGroups() {
        SyncScope full = SyncScope.full(units.types());
        assertThat(units.types()).containsExactly("user", "group", "role", "license");
        assertThat(reads(full, SyncRead.CATALOG)).containsExactly("direct:sync-roles-fetch");
        assertThat(reads(full, SyncRead.LISTING)).containsExactly("direct:sync-users-fetch", "direct:sync-groups-fetch");
        assertThat(units.counted()).containsExactly("user", "group", "role", "license", "entitlements", "grants");
        assertThat(units.guarded()).containsExactly("user", "grants");
        assertThat(units.resourceTypes()).extracting(t -> t.get("id").asText()).containsExactly("user", "group", "role", "license");
    }

    @Test
    void aUnitMissingFromTheOrderStopsStartUpByName() {
        ResourceUnit team = new ResourceUnit() {
            public String type() { return "team"; }
            public com.fasterxml.jackson.databind.node.ObjectNode resourceType() { return null; }
            public SyncRead syncRead() { return SyncRead.LISTING; }
            public java.util.Set<dev.batonseismic.baton.v2.Capability> capabilities(boolean provisioning) { return java.util.Set.of(); }
        };
        List<ResourceUnit> withTeam = new java.util.ArrayList<>(units.all());
        withTeam.add(team);
        assertThatThrownBy(() -> new ResourceUnits(withTeam)).hasMessageContaining("is not in ResourceUnits.ORDER");
        assertThatThrownBy(() -> new ResourceUnits(units.all().subList(0, 3))).hasMessageContaining("names LicenseResources, but no such unit was given");
    }

    @Test
    void aPartialSyncReadsOnlyWhatItsScopeNeeds() {
        List<String> all = units.types();
        SyncScope groupsNoGrants = SyncScope.of(List.of("group"), true, false, all);
        assertThat(reads(groupsNoGrants, SyncRead.CATALOG)).isEmpty();
        assertThat(reads(groupsNoGrants, SyncRead.LISTING)).containsExactly("direct:sync-groups-fetch");
        // role grants come from the users: roles read the users too, unless grants are skipped
        assertThat(reads(SyncScope.of(List.of("role"), false, false, all), SyncRead.LISTING)).containsExactly("direct:sync-users-fetch");
        assertThat(reads(SyncScope.of(List.of("role"), false, true, all), SyncRead.LISTING)).isEmpty();
        assertThat(reads(SyncScope.of(List.of("license"), false, false, all), SyncRead.LISTING)).containsExactly("direct:sync-users-fetch");
        assertThat(reads(SyncScope.of(List.of("license"), false, false, all), SyncRead.CATALOG)).isEmpty();
    }

    @Test
    void eachEntitlementNamesTheRouteThatChangesIt() {
        assertThat(units.unit("group").provisioningKind("member", true)).isEqualTo("group-membership");
        assertThat(units.unit("group").provisioningKind("owner", true)).isNull();
        assertThat(units.unit("role").provisioningKind("assigned", false)).isEqualTo("role-change");
        assertThat(units.unit("license").provisioningKind("assigned", true)).isEqualTo("license-refuse");
        assertThat(units.unit("user").provisioningKind("member", true)).isNull();
        assertThat(units.entitlementExamples()).isEqualTo("group:<id>:member, role:<id>:assigned or license:<id>:assigned");
    }
}
