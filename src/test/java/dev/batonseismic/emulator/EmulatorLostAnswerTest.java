package dev.batonseismic.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Answers lost after the change was applied: STATUS_AFTER_APPLY and RESET both change the tenant, then fail the call. */
class EmulatorLostAnswerTest extends EmulatorTestSupport {
    @BeforeAll
    static void start() {
        start(new EmulatorSettings().users(20));
    }

    @Test
    void statusAfterApplyChangesTheTenantAndAnswers5xx() {
        String uid = emulator.truth().users().keySet().iterator().next();
        String gid = emulator.createGroup("Lost answers", 0);
        emulator.faults().add(FaultInjector.Rule.of(FaultInjector.Kind.STATUS_AFTER_APPLY).status(502).onMethod("POST"));
        EmulatorHttp.Reply r = http.call("POST", "/scim/v2/Users/" + uid + "/Groups/" + gid, token, null, null);
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.json().get("message").asText()).contains("applied");
        assertThat(emulator.truth().memberships().get(gid)).containsExactly(uid);
        assertThat(emulator.requests().entries()).last().satisfies(e -> assertThat(e.fault()).isEqualTo("STATUS_AFTER_APPLY"));
    }

    @Test
    void resetAfterApplyCreatesTheUserAndClosesTheConnection() {
        int before = emulator.truth().users().size();
        emulator.faults().add(FaultInjector.Rule.of(FaultInjector.Kind.RESET).onMethod("POST").onPath("^/scim/v2/Users$"));
        String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"lost@demo.example.com\","
                + "\"emails\":[{\"value\":\"lost@demo.example.com\",\"type\":\"work\",\"primary\":true}]}";
        assertThatThrownBy(() -> http.call("POST", "/scim/v2/Users", token, body, null)).isInstanceOf(UncheckedIOException.class);
        assertThat(emulator.truth().users()).hasSize(before + 1);
        assertThat(emulator.truth().users().values()).filteredOn(u -> u.userName().equals("lost@demo.example.com")).hasSize(1);
    }
}
