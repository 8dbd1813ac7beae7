package dev.batonseismic.sync;

import dev.batonseismic.config.ConnectorProperties;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.RoutePolicySupport;
import org.springframework.core.env.Environment;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Leader election for the scheduled sync: {@code trigger-schedule-cron} (trigger-schedule.yaml) runs on the leader
 * only, under {@link #syncScheduleLeadership}. {@code connector.cluster.type=file} (the default): replicas sharing
 * {@code connector.cluster.file-root} elect the holder of a file lock. {@code kubernetes}: the leader holds a
 * {@code coordination.k8s.io} Lease in the pod's namespace; only running and ready pods with the cluster labels take it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterConfiguration.KubernetesLease.class)
@ConditionalOnProperty(name = "connector.cluster.enabled", havingValue = "true", matchIfMissing = true)
public class ClusterConfiguration {
    static final String SERVICE_ID = "seismic-connector";
    static final String SYNC_SCHEDULE = "sync-schedule";
    static final String C1_SERVICE = "c1-service";

    /**
     * The cron route's policy: started when this replica takes the lead of the {@code sync-schedule} namespace, stopped
     * when it loses it. (Camel's {@code master:} endpoint did the same with a start task whose time budget ran out
     * after 5 s on every start, logging "The task Leadership does not have more budget to continue running" although
     * the lead was held and the cron ran on.)
     */
    @Bean("syncScheduleLeadership")
    public RoutePolicy syncScheduleLeadership(Environment env) throws Exception {
        return onLeaderOnly(SYNC_SCHEDULE, env.getProperty("sync.scheduled", Boolean.class, true));
    }

    /** ConductorOne's poll ({@code c1-poll} in c1-service.yaml) likewise: one replica asks for tasks. */
    @Bean("c1ServiceLeadership")
    public RoutePolicy c1ServiceLeadership(Environment env) throws Exception {
        return onLeaderOnly(C1_SERVICE, env.getProperty("c1.enabled", Boolean.class, false));
    }

    /** A route that does not run at all (its autoStartup is off) competes for no lead: no lock, no Lease. */
    private static RoutePolicy onLeaderOnly(String namespace, boolean runs) throws Exception {
        if (!runs) {
            return new RoutePolicySupport() {
            };
        }
        ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(namespace);
        policy.setInitialDelay(Duration.ZERO);
        return policy;
    }

    @Bean
    @ConditionalOnProperty(name = "connector.cluster.type", havingValue = "file", matchIfMissing = true)
    public CamelContextConfiguration fileLockClusterService(ConnectorProperties connector) {
        String root = connector.cluster().fileRoot();
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setId(SERVICE_ID);
        cluster.setRoot(root);
        cluster.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
        cluster.setAcquireLockInterval(connector.cluster().acquireLockInterval().toMillis(), TimeUnit.MILLISECONDS);
        return adding(cluster, "the lock directory " + root);
    }

    @Bean
    @ConditionalOnProperty(name = "connector.cluster.type", havingValue = "kubernetes")
    public CamelContextConfiguration kubernetesLeaseClusterService(KubernetesLease lease) {
        KubernetesClusterService cluster = new KubernetesClusterService();
        cluster.setId(SERVICE_ID);
        cluster.setLeaseResourceType(LeaseResourceType.Lease);
        cluster.setKubernetesResourceName(lease.name());
        cluster.setPodName(lease.podName());
        cluster.setClusterLabels(lease.labels());
        if (!lease.namespace().isBlank()) {
            cluster.setKubernetesNamespace(lease.namespace());
            cluster.setKubernetesResourcesNamespace(lease.namespace());
        }
        if (!lease.masterUrl().isBlank()) {
            cluster.setMasterUrl(lease.masterUrl());
        }
        cluster.setLeaseDurationMillis(lease.duration().toMillis());
        cluster.setRenewDeadlineMillis(lease.renewDeadline().toMillis());
        cluster.setRetryPeriodMillis(lease.retryPeriod().toMillis());
        return adding(cluster, "the Kubernetes Lease " + lease.name());
    }

    private static CamelContextConfiguration adding(CamelClusterService cluster, String what) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                try {
                    camel.addService(cluster);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the cluster service on " + what + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing to do once started
            }
        };
    }

    /**
     * {@code connector.cluster.kubernetes.*}: the Lease's name, the pod that competes for it (its name and the labels
     * of the pods that may lead), the namespace (empty: the service account's), and the timings.
     */
    @ConfigurationProperties("connector.cluster.kubernetes")
    public record KubernetesLease(String name, String podName, String namespace, String masterUrl, Map<String, String> labels,
                                  Duration duration, Duration renewDeadline, Duration retryPeriod) {
    }
}
