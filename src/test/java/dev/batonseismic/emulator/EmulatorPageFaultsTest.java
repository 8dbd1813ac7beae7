package dev.batonseismic.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The faults for issue 7's sync suite: pages shorter than they claim, non-JSON answers, tenant changes mid-paging. */
class EmulatorPageFaultsTest extends EmulatorTestSupport {

    @BeforeAll
    static void start() {
        start(new EmulatorSettings().users(250));
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("Resources").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    @Test
    void aShortPageLeavesOutItsMiddleRecordButClaimsAll() {
        List<String> full = ids(http.get("/scim/v2/Users?startIndex=1&count=100", token).json());
        emulator.faults().add(FaultInjector.Rule.of(FaultInjector.Kind.SHORT_PAGE).onPath("^/scim/v2/Users$"));
        JsonNode cut = http.get("/scim/v2/Users?startIndex=1&count=100", token).json();
        assertThat(cut.get("itemsPerPage").asInt()).isEqualTo(100);
        assertThat(cut.get("totalResults").asInt()).isEqualTo(250);
        List<String> expected = new ArrayList<>(full);
        expected.remove(50);
        assertThat(ids(cut)).isEqualTo(expected);
        assertThat(ids(http.get("/scim/v2/Users?startIndex=1&count=100", token).json())).as("times 1").isEqualTo(full);
    }

    @Test
    void notJsonIsAComplete200() {
        emulator.faults().add(FaultInjector.Rule.of(FaultInjector.Kind.NOT_JSON).onPath("/Groups"));
        EmulatorHttp.Reply r = http.get("/scim/v2/Groups", token);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).startsWith("<html>");
        assertThatThrownBy(r::json).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void hooksChangeTheTenantBeforeTheMatchingRequestIsServed() {
        List<String> page1 = ids(http.get("/scim/v2/Users?startIndex=1&count=100", token).json());
        String groupId = emulator.truth().memberships().keySet().iterator().next();
        emulator.hooks().add("GET", "^/scim/v2/Users$", 1, 1, () -> page1.subList(0, 5).forEach(emulator::deleteUser));
        emulator.hooks().add("GET", "^/scim/v2/Groups/[^/]+/Users$", 0, 1, () -> emulator.deleteGroup(groupId));
        assertThat(http.get("/scim/v2/Users?startIndex=1&count=1", token).json().get("totalResults").asInt()).as("skipped").isEqualTo(250);
        JsonNode second = http.get("/scim/v2/Users?startIndex=1&count=100", token).json();
        assertThat(second.get("totalResults").asInt()).isEqualTo(245);
        assertThat(ids(second)).doesNotContainAnyElementsOf(page1.subList(0, 5));
        assertThat(http.get("/scim/v2/Users?startIndex=1&count=1", token).json().get("totalResults").asInt()).as("times 1").isEqualTo(245);
        assertThat(http.get("/scim/v2/Groups/" + groupId + "/Users", token).status()).isEqualTo(404);
        String created = emulator.createUser("late.joiner@demo.example.com");
        emulator.addMember(created, emulator.truth().memberships().keySet().iterator().next());
        assertThat(emulator.truth().users()).containsKey(created);
        emulator.reset();
        assertThat(emulator.truth().users()).hasSize(250);
    }
}
