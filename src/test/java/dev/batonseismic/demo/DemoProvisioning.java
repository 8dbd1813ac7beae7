package dev.batonseismic.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.emulator.SeismicEmulator;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.core.JmsTemplate;

/** The demo's provisioning round: a group grant over REST, a role grant over Kafka, a group grant over JMS. */
final class DemoProvisioning {
    static final String REQUESTS = "seismic.provisioning.requests";
    static final String RESULTS = "seismic.provisioning.results";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SeismicEmulator emulator;
    private final ConfigurableApplicationContext app;
    private final String port;
    private final String brokers;
    private final String login;

    DemoProvisioning(SeismicEmulator emulator, ConfigurableApplicationContext app, String port, String brokers, String login) {
        this.login = login;
        this.emulator = emulator;
        this.app = app;
        this.port = port;
        this.brokers = brokers;
    }

    List<String> run() throws Exception {
        GroundTruth t = emulator.truth();
        String user = t.users().keySet().stream().skip(1).findFirst().orElseThrow();
        List<String> groups = t.memberships().entrySet().stream().filter(e -> !e.getValue().contains(user)).map(Map.Entry::getKey).limit(2).toList();
        String role = t.roleNames().entrySet().stream().filter(e -> !t.users().get(user).roles().contains(e.getValue()))
                .findFirst().orElseThrow().getKey();
        List<String> out = new ArrayList<>();

        String rest = grant("group:" + groups.get(0) + ":member", user);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/provisioning"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(login.getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(rest)).build(), HttpResponse.BodyHandlers.ofString());
        out.add("REST  HTTP " + answer.statusCode() + " " + answer.body());
        out.add("      emulator: member of the group now? " + emulator.truth().memberships().get(groups.get(0)).contains(user));

        String kafkaRequest = grant("role:" + role + ":assigned", user);
        String requestId = JSON.readTree(kafkaRequest).get("requestId").asText();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props(), new StringSerializer(), new StringSerializer());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props(), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(RESULTS));
            producer.send(new ProducerRecord<>(REQUESTS, user, kafkaRequest)).get();
            String result = null;
            for (long end = System.nanoTime() + Duration.ofSeconds(30).toNanos(); result == null && System.nanoTime() < end; ) {
                for (var r : consumer.poll(Duration.ofMillis(250))) {
                    if (requestId.equals(r.key())) {
                        result = r.value();
                    }
                }
            }
            out.add("Kafka " + RESULTS + " key " + requestId + ": " + result);
        }
        out.add("      emulator: user's roles now " + emulator.truth().users().get(user).roles());

        JmsTemplate jms = app.getBean(JmsTemplate.class);
        jms.setReceiveTimeout(30_000);
        String jmsRequest = grant("group:" + groups.get(1) + ":member", user);
        TextMessage reply = (TextMessage) jms.sendAndReceive(REQUESTS, s -> s.createTextMessage(jmsRequest));
        out.add("JMS   reply: " + (reply == null ? "none" : reply.getText()));
        out.add("      emulator: member of the second group now? " + emulator.truth().memberships().get(groups.get(1)).contains(user));
        return out;
    }

    private Properties props() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    private static String grant(String entitlementId, String userId) throws Exception {
        JsonNode n = JSON.createObjectNode().put("requestId", UUID.randomUUID().toString()).put("operation", "grant")
                .put("entitlementId", entitlementId).put("principalId", "user:" + userId);
        return n.toString();
    }
}
