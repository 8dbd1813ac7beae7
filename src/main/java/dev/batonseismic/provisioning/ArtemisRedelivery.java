package dev.batonseismic.provisioning;

import java.time.Duration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded Artemis broker's redelivery for the requests queue: a rolled-back request (Seismic unavailable) is
 * delivered again after {@code provisioning.redelivery.initial-delay}, doubled per delivery up to {@code max-delay}.
 * The route dead-letters it itself on delivery {@code max-deliveries}; the broker's own limit (one more) and its
 * dead-letter address are the safety net. An external broker ({@code spring.artemis.mode=native}) needs the same
 * address settings from its administrator.
 */
@Configuration(proxyBeanMethods = false)
public class ArtemisRedelivery {
    @Bean
    public ArtemisConfigurationCustomizer provisioningRedeliverySettings(
            @Value("${provisioning.jms.requests-queue}") String requests,
            @Value("${provisioning.jms.dead-letter-queue}") String deadLetters,
            @Value("${provisioning.redelivery.max-deliveries:30}") int maxDeliveries,
            @Value("${provisioning.redelivery.initial-delay:1s}") Duration initialDelay,
            @Value("${provisioning.redelivery.max-delay:120s}") Duration maxDelay) {
        return config -> config.addAddressSetting(requests, new AddressSettings()
                .setRedeliveryDelay(initialDelay.toMillis())
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(maxDelay.toMillis())
                .setMaxDeliveryAttempts(maxDeliveries + 1)
                .setDeadLetterAddress(SimpleString.of(deadLetters)));
    }
}
