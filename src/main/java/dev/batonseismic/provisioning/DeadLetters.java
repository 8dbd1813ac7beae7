package dev.batonseismic.provisioning;

import dev.batonseismic.config.ProvisioningProperties;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The dead-letter destinations of the Kafka and JMS doors: how many requests wait there, and replaying them into the
 * requests topic or queue once their cause is fixed (product: "dead-lettered messages can be replayed").
 * <p>
 * JMS: each message is moved in its own broker transaction (received from the dead-letter queue and sent to the
 * requests queue, or neither). Kafka: dead-letter records are copied to the requests topic, then the replay consumer
 * group {@code provisioning.kafka.replay-group-id} commits past them, so each is replayed once; what waits is what
 * that group has not committed yet. A replayed request carries the header {@code deadLetterReplay}: it runs again
 * even if its first result was cached. Only the messages present when the replay starts are moved, so one that fails
 * again lands back in the dead-letter destination for the next replay.
 */
@Component("deadLetters")
public class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final ObjectProvider<ConnectionFactory> jms;
    private final CamelContext camel;
    private final boolean jmsEnabled;
    private final boolean kafkaEnabled;
    private final String jmsRequests;
    private final String jmsDeadLetters;
    private final String kafkaRequests;
    private final String kafkaDeadLetters;
    private final String replayGroup;

    public DeadLetters(ObjectProvider<ConnectionFactory> jms, CamelContext camel, ProvisioningProperties provisioning) {
        this.jms = jms;
        this.camel = camel;
        this.jmsEnabled = Boolean.TRUE.equals(provisioning.jms().enabled());
        this.kafkaEnabled = Boolean.TRUE.equals(provisioning.kafka().enabled());
        this.jmsRequests = provisioning.jms().requestsQueue();
        this.jmsDeadLetters = provisioning.jms().deadLetterQueue();
        this.kafkaRequests = provisioning.kafka().requestsTopic();
        this.kafkaDeadLetters = provisioning.kafka().deadLetterTopic();
        this.replayGroup = provisioning.kafka().replayGroupId();
    }

    /** {@code {"jms": n, "kafka": m}}: requests waiting in each dead-letter destination (a door that is off is left out). */
    public Map<String, Object> counts() throws Exception {
        Map<String, Object> counts = new LinkedHashMap<>();
        if (jmsEnabled) {
            counts.put("jms", jmsCount());
        }
        if (kafkaEnabled) {
            counts.put("kafka", kafkaCount());
        }
        return counts;
    }

    /**
     * Replays the dead letters of the channel given by the {@code channel} header (jms, kafka; absent: both), at most
     * {@code limit} per channel; answers {@code {"replayed": {"jms": n, "kafka": m}}}, or 400 for a bad parameter.
     */
    public Map<String, Object> replay(Exchange ex) throws Exception {
        String channel = ex.getMessage().getHeader("channel", String.class);
        String limitText = ex.getMessage().getHeader("limit", String.class);
        int limit = Integer.MAX_VALUE;
        if (limitText != null && !limitText.isBlank()) {
            try {
                limit = Integer.parseInt(limitText.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1) {
                return badRequest(ex, "limit must be a whole number of at least 1, got " + Provisioner.quoted(limitText));
            }
        }
        boolean all = channel == null || channel.isBlank();
        if (!all && !channel.equals("jms") && !channel.equals("kafka")) {
            return badRequest(ex, "channel must be jms or kafka (or absent for both), got " + Provisioner.quoted(channel));
        }
        if ((!all && channel.equals("jms") && !jmsEnabled) || (!all && channel.equals("kafka") && !kafkaEnabled)) {
            return badRequest(ex, "provisioning over " + channel + " is off in this instance");
        }
        Map<String, Object> replayed = new LinkedHashMap<>();
        if (jmsEnabled && (all || channel.equals("jms"))) {
            replayed.put("jms", replayJms(limit));
        }
        if (kafkaEnabled && (all || channel.equals("kafka"))) {
            replayed.put("kafka", replayKafka(limit));
        }
        log.info("Dead letters replayed into the requests destinations: {}", replayed);
        return Map.of("replayed", replayed);
    }

    private static Map<String, Object> badRequest(Exchange ex, String message) {
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
        return Map.of("error", message);
    }

    // ---- JMS ----

    int jmsCount() throws JMSException {
        try (Connection c = jms.getObject().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = s.createBrowser(s.createQueue(jmsDeadLetters))) {
                return Collections.list(browser.getEnumeration()).size();
            }
        }
    }

    int replayJms(int limit) throws JMSException {
        int waiting = Math.min(limit, jmsCount());
        int moved = 0;
        try (Connection c = jms.getObject().createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue from = s.createQueue(jmsDeadLetters);
            try (MessageConsumer consumer = s.createConsumer(from); MessageProducer producer = s.createProducer(s.createQueue(jmsRequests))) {
                while (moved < waiting) {
                    Message m = consumer.receive(2000);
                    if (m == null) {
                        break;
                    }
                    producer.send(copy(s, m));
                    s.commit();
                    moved++;
                }
            } catch (JMSException | RuntimeException e) {
                s.rollback();
                throw e;
            }
        }
        return moved;
    }

    private static Message copy(Session s, Message m) throws JMSException {
        Message out;
        if (m instanceof TextMessage t) {
            out = s.createTextMessage(t.getText());
        } else if (m instanceof BytesMessage b) {
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            BytesMessage copy = s.createBytesMessage();
            copy.writeBytes(bytes);
            out = copy;
        } else {
            out = s.createMessage();
        }
        for (Object n : Collections.list(m.getPropertyNames())) {
            String name = (String) n;
            boolean brokerOwned = name.startsWith("_AMQ") || (name.startsWith("JMSX") && !name.equals("JMSXGroupID"));
            if (!brokerOwned && !name.equals("deadLetterReason")) {
                out.setObjectProperty(name, m.getObjectProperty(name));
            }
        }
        if (m.getJMSCorrelationID() != null) {
            out.setJMSCorrelationID(m.getJMSCorrelationID());
        }
        out.setStringProperty(Provisioner.DEAD_LETTER_REPLAY, "true");
        return out;
    }

    // ---- Kafka ----

    private Properties kafkaProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, camel.getComponent("kafka", KafkaComponent.class).getConfiguration().getBrokers());
        return p;
    }

    private KafkaConsumer<byte[], byte[]> replayConsumer() {
        Properties p = kafkaProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, replayGroup);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "dead-letter-replay-" + UUID.randomUUID());
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Where the replay group stands and where each dead-letter partition ends. */
    private record Span(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        long waiting() {
            return to.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - from.get(e.getKey()))).sum();
        }
    }

    private Span span(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(kafkaDeadLetters, KAFKA_TIMEOUT).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, KAFKA_TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions), KAFKA_TIMEOUT);
        Map<TopicPartition, Long> from = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            from.put(tp, Math.max(begin.get(tp), c == null ? 0 : c.offset()));
        }
        return new Span(from, end);
    }

    long kafkaCount() {
        try (KafkaConsumer<byte[], byte[]> consumer = replayConsumer()) {
            return span(consumer).waiting();
        }
    }

    long replayKafka(int limit) throws Exception {
        long moved = 0;
        Properties pp = kafkaProperties();
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaConsumer<byte[], byte[]> consumer = replayConsumer();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
            Span span = span(consumer);
            consumer.assign(span.to().keySet());
            span.from().forEach(consumer::seek);
            Map<TopicPartition, Long> next = new HashMap<>(span.from());
            long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
            while (moved < limit && next.entrySet().stream().anyMatch(e -> e.getValue() < span.to().get(e.getKey()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the dead-letter topic " + kafkaDeadLetters + " could not be read to its end within "
                            + KAFKA_TIMEOUT.toSeconds() + " s; " + moved + " records were replayed");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (moved >= limit || r.offset() >= span.to().get(tp) || r.offset() < next.get(tp)) {
                        continue;
                    }
                    ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(kafkaRequests, r.key(), r.value());
                    for (Header h : r.headers()) {
                        if (!h.key().equals("deadLetterReason") && !h.key().equals(Provisioner.DEAD_LETTER_REPLAY)) {
                            out.headers().add(h);
                        }
                    }
                    out.headers().add(Provisioner.DEAD_LETTER_REPLAY, "true".getBytes(StandardCharsets.UTF_8));
                    producer.send(out).get();
                    next.put(tp, r.offset() + 1);
                    moved++;
                }
            }
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            next.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(commit, KAFKA_TIMEOUT);
        }
        return moved;
    }
}
