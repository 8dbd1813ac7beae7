package dev.batonseismic.provisioning;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.springframework.stereotype.Component;

/** Commits the Kafka offset of the record being processed: the last step, after its result was produced. */
@Component("kafkaCommit")
public class KafkaCommit {
    public void commit(Exchange ex) {
        KafkaManualCommit manual = ex.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (manual != null) {
            manual.commit();
        }
    }
}
