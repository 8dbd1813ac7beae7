package dev.batonseismic.config;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/** Kafka is on when brokers are configured: {@code provisioning.kafka.enabled} follows {@code provisioning.kafka.brokers} unless set. */
public class KafkaSwitch implements EnvironmentPostProcessor {
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (env.getProperty("provisioning.kafka.enabled") == null) {
            boolean brokers;
            try {
                brokers = !env.getProperty("provisioning.kafka.brokers", "").isBlank();
            } catch (IllegalArgumentException unresolvedYet) {
                brokers = true; // a placeholder that resolves later (e.g. an embedded test broker): brokers are configured
            }
            env.getPropertySources().addLast(new MapPropertySource("kafkaSwitch", Map.of("provisioning.kafka.enabled", String.valueOf(brokers))));
        }
    }
}
