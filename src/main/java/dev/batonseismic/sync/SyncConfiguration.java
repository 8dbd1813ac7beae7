package dev.batonseismic.sync;

import dev.batonseismic.config.SyncProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Camel thread-pool profile {@code syncPool} ({@code sync.concurrency} threads) on which the sync reads pages and
 * groups in parallel. A task the pool has no thread for runs in the thread that asked (listings nest: a groups page
 * reads each group's members), so nesting never deadlocks; {@code seismicInFlight} caps the calls themselves. A Camel
 * profile, not a Spring Executor bean, so Spring Boot keeps its own task executor for the web layer.
 */
@Configuration(proxyBeanMethods = false)
public class SyncConfiguration {

    @Bean
    public CamelContextConfiguration syncThreadPools(SyncProperties sync) {
        int concurrency = sync.concurrency();
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                ThreadPoolProfile profile = new ThreadPoolProfile("syncPool");
                profile.setPoolSize(Math.max(1, concurrency));
                profile.setMaxPoolSize(Math.max(1, concurrency));
                profile.setMaxQueueSize(-1);
                profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
                camel.getExecutorServiceManager().registerThreadPoolProfile(profile);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing to do once started
            }
        };
    }
}
