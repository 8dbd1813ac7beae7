package dev.batonseismic.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The demo and the tests start an embedded Kafka broker in their own JVM; at INFO it writes hundreds of lines that bury
 * the connector's progress lines. logback-test.xml keeps it at WARN: a broker started and stopped here logs nothing
 * below WARN.
 */
class QuietBrokersTest {
    @Test
    void anEmbeddedKafkaBrokerLogsNothingBelowWarn() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        root.addAppender(seen);
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1, "quiet.topic");
        try {
            kafka.afterPropertiesSet();
            assertThat(kafka.getBrokersAsString()).as("the broker is up").matches("(localhost|127\\.0\\.0\\.1):\\d+");
        } finally {
            kafka.destroy();
            root.detachAppender(seen);
        }
        assertThat(seen.list).filteredOn(e -> e.getLoggerName().startsWith("kafka") || e.getLoggerName().startsWith("org.apache.kafka")
                        || e.getLoggerName().startsWith("state.change"))
                .as("broker lines below WARN")
                .allSatisfy(e -> assertThat(e.getLevel().isGreaterOrEqual(Level.WARN)).as(e.getLoggerName() + ": " + e.getFormattedMessage()).isTrue());
    }
}
