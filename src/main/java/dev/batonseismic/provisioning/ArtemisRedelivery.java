package dev.batonseismic.provisioning;

import dev.batonseismic.config.ProvisioningProperties;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
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
            ProvisioningProperties provisioning) {
        String requests = provisioning.jms().requestsQueue();
        String deadLetters = provisioning.jms().deadLetterQueue();
        int maxDeliveries = provisioning.redelivery().maxDeliveries();
        Duration initialDelay = provisioning.redelivery().initialDelay();
        Duration maxDelay = provisioning.redelivery().maxDelay();
        return config -> config.addAddressSetting(requests, new AddressSettings()
                .setRedeliveryDelay(initialDelay.toMillis())
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(maxDelay.toMillis())
                .setMaxDeliveryAttempts(maxDeliveries + 1)
                .setDeadLetterAddress(SimpleString.of(deadLetters)));
    }
}
