package dev.batonseismic.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.ConnectorTestSupport;
import dev.batonseismic.emulator.GroundTruth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Requests in the product's JSON format, sent over REST, and the emulator's state to check them against. */
abstract class ProvisioningTestSupport extends ConnectorTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();


    static ObjectNode request(String operation) {
        return JSON.createObjectNode().put("requestId", UUID.randomUUID().toString()).put("operation", operation);
    }

    static ObjectNode grant(String entitlementId, String userId) {
        return request("grant").put("entitlementId", entitlementId).put("principalId", "user:" + userId);
    }

    static ObjectNode revoke(String grantId) {
        return request("revoke").put("grantId", grantId);
    }

    /** POSTs to /api/v1/provisioning; the answer's status code and JSON body. */
    record Answer(int status, JsonNode body) {}

    Answer post(String body) throws Exception {
        HttpHeaders h = new HttpHeaders();
        h.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<String> r = rest.postForEntity("/api/v1/provisioning", new HttpEntity<>(body, h), String.class);
        return new Answer(r.getStatusCode().value(), JSON.readTree(r.getBody()));
    }

    Answer post(JsonNode body) throws Exception {
        return post(body.toString());
    }

    /** A user that is in no group of the tenant's generated groups' given one, and the group. */
    static String[] userOutsideSomeGroup() {
        GroundTruth t = EMULATOR.truth();
        for (Map.Entry<String, List<String>> g : t.memberships().entrySet()) {
            for (String uid : t.users().keySet()) {
                if (!g.getValue().contains(uid)) {
                    return new String[] {uid, g.getKey()};
                }
            }
        }
        throw new IllegalStateException("every user is in every group");
    }

    static List<String> rolesOf(String userId) {
        return EMULATOR.truth().users().get(userId).roles();
    }

    static String roleId(String name) {
        return EMULATOR.truth().roleNames().entrySet().stream().filter(e -> e.getValue().equals(name)).findFirst().orElseThrow().getKey();
    }
}
