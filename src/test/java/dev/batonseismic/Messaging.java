package dev.batonseismic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Test clients of the shared context's Kafka and JMS doors: a producer for the requests topic, consumers that keep
 * every record seen on the results and dead-letter topics, and the embedded Artemis queues' message counts.
 * One instance per test JVM (the shared context's brokers).
 */
public final class Messaging {
    public static final String REQUESTS = "seismic.provisioning.requests";
    public static final String RESULTS = "seismic.provisioning.results";
    public static final String DLQ = "seismic.provisioning.dlq";
    static final ObjectMapper JSON = new ObjectMapper();
    private static Messaging shared;

    public final String brokers;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> results;
    private final KafkaConsumer<String, String> deadLetters;
    private final Map<String, List<JsonNode>> resultsByKey = new ConcurrentHashMap<>();
    private final List<ConsumerRecord<String, String>> deadLetterRecords = new CopyOnWriteArrayList<>();

    private Messaging(String brokers) {
        this.brokers = brokers;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        results = consumer(RESULTS);
        deadLetters = consumer(DLQ);
        Runtime.getRuntime().addShutdownHook(new Thread(producer::close));
    }

    /** The clients for the shared context's Kafka broker (read from the Camel kafka component). */
    public static synchronized Messaging of(CamelContext camel) {
        if (shared == null) {
            shared = new Messaging(camel.getComponent("kafka", KafkaComponent.class).getConfiguration().getBrokers());
        }
        return shared;
    }

    private KafkaConsumer<String, String> consumer(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    public void send(String key, String value) {
        send(new ProducerRecord<>(REQUESTS, key, value));
    }

    public void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads what arrived on the results and dead-letter topics so far. */
    public synchronized void poll() {
        results.poll(Duration.ofMillis(100)).forEach(r -> {
            try {
                resultsByKey.computeIfAbsent(String.valueOf(r.key()), k -> new CopyOnWriteArrayList<>()).add(JSON.readTree(r.value()));
            } catch (Exception e) {
                throw new IllegalStateException("a result that is not JSON: " + r.value(), e);
            }
        });
        deadLetters.poll(Duration.ofMillis(100)).forEach(deadLetterRecords::add);
    }

    /** Results seen so far for a requestId (the results topic's key), oldest first. */
    public List<JsonNode> results(String requestId) {
        return resultsByKey.getOrDefault(requestId, List.of());
    }

    /** Waits until the results topic has at least {@code n} results for the requestId; returns the newest. */
    public JsonNode awaitResult(String requestId, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            poll();
            return results(requestId).size() >= n;
        });
        List<JsonNode> all = results(requestId);
        return all.get(all.size() - 1);
    }

    public List<ConsumerRecord<String, String>> deadLetterRecords() {
        return new ArrayList<>(deadLetterRecords);
    }

    /** Messages on an embedded Artemis queue: waiting, scheduled for redelivery, or being delivered. */
    public static long queueDepth(EmbeddedActiveMQ artemis, String queue) {
        Queue q = artemis.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }
}
