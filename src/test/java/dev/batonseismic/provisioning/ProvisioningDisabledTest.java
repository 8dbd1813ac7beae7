package dev.batonseismic.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.TestPropertySource;

/** BATON_PROVISIONING not true: every request is refused with that reason, and Seismic is never called. */
@TestPropertySource(properties = {"provisioning.enabled=false", "provisioning.kafka.enabled=false"})
class ProvisioningDisabledTest extends ProvisioningTestSupport {
    @Autowired
    JmsTemplate jms;

    @Test
    void everyRequestIsRefusedAndSeismicIsNotCalled() throws Exception {
        EMULATOR.regenerate(20, 1);
        EMULATOR.requests().clear();
        String[] ug = userOutsideSomeGroup();
        Answer a = post(grant("group:" + ug[1] + ":member", ug[0]));
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body().get("status").asText()).isEqualTo("REFUSED");
        assertThat(a.body().get("message").asText()).contains("BATON_PROVISIONING=true");
        assertThat(post(request("deleteResource").put("resourceId", "user:" + ug[0])).status()).isEqualTo(403);

        jms.setReceiveTimeout(10_000);
        JsonNode req = request("createAccount").put("login", "x@y.z").put("email", "x@y.z");
        Message reply = jms.sendAndReceive("seismic.provisioning.requests", s -> s.createTextMessage(req.toString()));
        assertThat(JSON.readTree(((TextMessage) reply).getText()).get("status").asText()).isEqualTo("REFUSED");

        assertThat(EMULATOR.requests().total()).as("Seismic is never called").isZero();
        assertThat(EMULATOR.truth().memberships().get(ug[1])).doesNotContain(ug[0]);
    }
}
