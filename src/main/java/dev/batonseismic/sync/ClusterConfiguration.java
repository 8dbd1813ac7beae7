package dev.batonseismic.sync;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Leader election for the scheduled sync ({@code master:sync-schedule:quartz:…} in trigger-schedule.yaml): replicas
 * that share {@code connector.cluster.file-root} elect one holder of a file lock, and only it runs the cron.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "connector.cluster.enabled", havingValue = "true", matchIfMissing = true)
public class ClusterConfiguration {

    @Bean
    public CamelContextConfiguration fileLockClusterService(@Value("${connector.cluster.file-root}") String root,
                                                            @Value("${connector.cluster.acquire-lock-interval:10s}") Duration interval) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                FileLockClusterService cluster = new FileLockClusterService();
                cluster.setId("seismic-connector");
                cluster.setRoot(root);
                cluster.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
                cluster.setAcquireLockInterval(interval.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    camel.addService(cluster);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the cluster service on " + root + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing to do once started
            }
        };
    }
}
