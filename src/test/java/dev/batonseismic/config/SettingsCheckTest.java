package dev.batonseismic.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batonseismic.ConnectorTestSupport;
import dev.batonseismic.sink.SyncSink;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/** The settings as the running app holds them: bound once into the records, and SINK_TYPE's names read from the sink beans. */
class SettingsCheckTest extends ConnectorTestSupport {
    @Autowired
    ConfigurableListableBeanFactory beans;
    @Autowired
    List<SyncSink> sinks;
    @Autowired
    SyncProperties sync;
    @Autowired
    SeismicProperties seismic;
    @Autowired
    ProvisioningProperties provisioning;

    @Test
    void sinkNamesComeFromTheSinkBeansAndServiceMode() {
        assertThat(SettingsCheck.sinkTypes(beans)).containsExactlyInAnyOrder("file", "c1z", "c1");
        assertThat(sinks).extracting(SyncSink::type).containsExactlyInAnyOrder("file", "c1z");
    }

    @Test
    void recordsHoldTheApplicationDefaultsAndTheTestOverrides() {
        assertThat(sync.pageSize()).isEqualTo(100);                          // application.yaml
        assertThat(sync.concurrency()).isEqualTo(SYNC_CONCURRENCY);          // the test's property
        assertThat(seismic.retry().maxAttempts()).isEqualTo(4);
        assertThat(seismic.rateLimit().window()).hasSeconds(60);
        assertThat(provisioning.redelivery().maxDeliveries()).isEqualTo(8);
        assertThat(provisioning.deleteMode()).isEqualTo("delete");
        assertThat(seismic.toString()).doesNotContain(CALLBACK_SECRET);
    }
}
