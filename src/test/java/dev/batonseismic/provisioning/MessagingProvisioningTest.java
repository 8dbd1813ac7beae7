package dev.batonseismic.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.Messaging;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/** The Kafka and JMS doors: results, dead letters, poison messages, and concurrent role grants from REST and Kafka. */
class MessagingProvisioningTest extends ProvisioningTestSupport {
    /** The JMS queues are named like the Kafka topics. */
    static final String REQUESTS = Messaging.REQUESTS;
    static final String RESULTS = Messaging.RESULTS;
    static final String DLQ = Messaging.DLQ;

    @Autowired
    JmsTemplate jms;

    @Autowired
    org.apache.camel.CamelContext camel;

    Messaging kafka;

    @BeforeEach
    void clients() {
        EMULATOR.regenerate(200, 33);
        kafka = Messaging.of(camel);
        jms.setReceiveTimeout(10_000);
    }

    /** Sends a request keyed by the principal's user (the documented key), returns the result keyed by requestId. */
    private JsonNode viaKafka(String key, String body, String requestId) {
        kafka.send(key, body);
        return kafka.awaitResult(requestId, 1);
    }

    @Test
    void kafkaGrantProducesAResultKeyedByRequestId() throws Exception {
        String[] ug = userOutsideSomeGroup();
        JsonNode req = grant("group:" + ug[1] + ":member", ug[0]);
        JsonNode result = viaKafka(ug[0], req.toString(), req.get("requestId").asText());
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.get("requestId").asText()).isEqualTo(req.get("requestId").asText());
        assertThat(EMULATOR.truth().memberships().get(ug[1])).contains(ug[0]);
    }

    @Test
    void kafkaPoisonMessageGoesToTheDeadLetterTopicAndTheNextOneIsServed() throws Exception {
        kafka.send("poison", "{\"requestId\": \"p1\", \"operation\": \"explode\"}");
        kafka.send("poison", "this is not json");
        String[] ug = userOutsideSomeGroup();
        JsonNode good = grant("group:" + ug[1] + ":member", ug[0]);
        JsonNode result = viaKafka(ug[0], good.toString(), good.get("requestId").asText());
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(kafka.awaitResult("p1", 1).get("message").asText()).contains("unknown operation 'explode'");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            kafka.poll();
            return kafka.deadLetterRecords().stream().anyMatch(r -> r.value().equals("this is not json"));
        });
        List<ConsumerRecord<String, String>> seenDeadLetters = kafka.deadLetterRecords();
        ConsumerRecord<String, String> dead = seenDeadLetters.stream().filter(r -> r.value().equals("this is not json")).findFirst().orElseThrow();
        assertThat(new String(dead.headers().lastHeader("deadLetterReason").value(), StandardCharsets.UTF_8)).contains("not valid JSON");
        assertThat(seenDeadLetters).anySatisfy(r -> assertThat(r.value()).contains("explode"));
    }

    @Test
    void jmsRequestReplyAndResultsQueue() throws Exception {
        String[] ug = userOutsideSomeGroup();
        JsonNode req = grant("group:" + ug[1] + ":member", ug[0]);
        Message reply = jms.sendAndReceive(REQUESTS, s -> {
            TextMessage m = s.createTextMessage(req.toString());
            m.setStringProperty("JMSXGroupID", ug[0]);
            return m;
        });
        assertThat(reply).as("a reply on JMSReplyTo").isNotNull();
        JsonNode result = JSON.readTree(((TextMessage) reply).getText());
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.truth().memberships().get(ug[1])).contains(ug[0]);

        JsonNode revoke = revoke("group:" + ug[1] + ":member:user:" + ug[0]);
        jms.convertAndSend(REQUESTS, revoke.toString());
        Message onQueue = jms.receiveSelected(RESULTS, "JMSCorrelationID = '" + revoke.get("requestId").asText() + "'");
        assertThat(JSON.readTree(((TextMessage) onQueue).getText()).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.truth().memberships().get(ug[1])).doesNotContain(ug[0]);
    }

    @Test
    void jmsPoisonMessageGoesToTheDeadLetterQueueAndTheNextOneIsServed() throws Exception {
        jms.convertAndSend(REQUESTS, "{{{ broken");
        Message dead = jms.receive(DLQ);
        assertThat(((TextMessage) dead).getText()).isEqualTo("{{{ broken");
        assertThat(dead.getStringProperty("deadLetterReason")).contains("not valid JSON");
        JsonNode req = request("createAccount").put("login", "jms.user@demo.example.com").put("email", "jms.user@demo.example.com");
        Message reply = jms.sendAndReceive(REQUESTS, s -> s.createTextMessage(req.toString()));
        assertThat(JSON.readTree(((TextMessage) reply).getText()).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.truth().users().values()).anySatisfy(u -> assertThat(u.userName()).isEqualTo("jms.user@demo.example.com"));
    }

    /** grant, revoke, createAccount and deleteResource through one door, each checked in the emulator. */
    private void everyOperation(java.util.function.Function<JsonNode, JsonNode> door) throws Exception {
        String[] ug = userOutsideSomeGroup();
        String uid = ug[0];
        String gid = ug[1];
        String role = EMULATOR.truth().roleNames().entrySet().stream().filter(e -> !rolesOf(uid).contains(e.getValue()))
                .findFirst().orElseThrow().getKey();
        assertThat(door.apply(grant("group:" + gid + ":member", uid)).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.truth().memberships().get(gid)).contains(uid);
        assertThat(door.apply(grant("role:" + role + ":assigned", uid)).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(rolesOf(uid)).contains(EMULATOR.truth().roleNames().get(role));
        assertThat(door.apply(revoke("group:" + gid + ":member:user:" + uid)).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.truth().memberships().get(gid)).doesNotContain(uid);
        assertThat(door.apply(revoke("role:" + role + ":assigned:user:" + uid)).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(rolesOf(uid)).doesNotContain(EMULATOR.truth().roleNames().get(role));
        String login = "door." + UUID.randomUUID() + "@demo.example.com";
        JsonNode created = door.apply(request("createAccount").put("login", login).put("email", login));
        assertThat(created.get("status").asText()).isEqualTo("SUCCEEDED");
        String newId = created.at("/resource/id/resource").asText();
        assertThat(EMULATOR.truth().users().get(newId).userName()).isEqualTo(login);
        assertThat(door.apply(request("deleteResource").put("resourceId", "user:" + newId)).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(EMULATOR.truth().users()).doesNotContainKey(newId);
        assertThat(door.apply(grant("license:Premium:assigned", uid)).get("status").asText()).isEqualTo("REFUSED");
    }

    @Test
    void everyOperationOverKafkaWithOffsetsCommittedAfterTheResult() throws Exception {
        everyOperation(req -> {
            try {
                return viaKafka(req.path("principalId").asText(req.path("requestId").asText()), req.toString(), req.get("requestId").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafka.brokers))) {
            var partition = new org.apache.kafka.common.TopicPartition(REQUESTS, 0);
            long end = admin.listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get().get(partition).offset();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admin.listConsumerGroupOffsets("seismic-connector")
                    .partitionsToOffsetAndMetadata().get().get(partition).offset() == end);
        }
    }

    @Test
    void everyOperationOverJms() throws Exception {
        everyOperation(req -> {
            try {
                Message reply = jms.sendAndReceive(REQUESTS, s -> {
                    TextMessage m = s.createTextMessage(req.toString());
                    m.setStringProperty("JMSXGroupID", req.path("principalId").asText("none"));
                    return m;
                });
                return JSON.readTree(((TextMessage) reply).getText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void twentyConcurrentRoleGrantsFromRestAndKafkaAllLand() throws Exception {
        String uid = EMULATOR.settings().delegatedUserId;
        List<String> roleIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            roleIds.add(EMULATOR.addCatalogRole("Concurrent Role " + i));
        }
        List<String> before = rolesOf(uid);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<?>> done = new ArrayList<>();
        List<String> kafkaIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            JsonNode req = grant("role:" + roleIds.get(i) + ":assigned", uid);
            if (i % 2 == 0) {
                done.add(pool.submit(() -> assertThat(post(req).body().get("status").asText()).isEqualTo("SUCCEEDED")));
            } else {
                kafkaIds.add(req.get("requestId").asText());
                done.add(pool.submit(() -> kafka.send(uid, req.toString())));
            }
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        for (String id : kafkaIds) {
            assertThat(kafka.awaitResult(id, 1).get("status").asText()).isEqualTo("SUCCEEDED");
        }
        List<String> after = rolesOf(uid);
        assertThat(after).containsAll(before);
        for (int i = 0; i < 20; i++) {
            assertThat(after).contains("Concurrent Role " + i);
        }
        assertThat(after).hasSize(before.size() + 20);
    }
}
