package dev.batonseismic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.c1.C1Hello;
import dev.batonseismic.config.ConnectorSettings;
import dev.batonseismic.config.ProvisioningProperties;
import dev.batonseismic.model.BatonRecords;
import dev.batonseismic.provisioning.UserLocks;
import dev.batonseismic.resources.ResourceUnits;
import dev.batonseismic.seismic.SeismicClient;
import dev.batonseismic.sink.C1zMessages;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code java -jar … capabilities}: what the connector tells ConductorOne it can do, given the settings
 * ({@code BATON_PROVISIONING}), as baton's {@code capabilities} subcommand prints it (baton's ConnectorCapabilities as
 * JSON: each resource type with its capabilities, and the connector's), then exit 0. Nothing is started and nothing
 * is contacted: only the resource units are made, in a context of their own, from the same list as the running
 * connector's ({@code ResourceUnits.ORDER}), with a Seismic client that is never called.
 */
public final class Capabilities {
    private Capabilities() {}

    /** Writes the capabilities to {@code out}. */
    public static void print(PrintStream out) throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        ProvisioningProperties provisioning = Binder.get(env).bind("provisioning", ProvisioningProperties.class).get();
        boolean enabled = "true".equalsIgnoreCase(String.valueOf(provisioning.enabled()).trim());
        ObjectMapper json = new ObjectMapper();
        try (AnnotationConfigApplicationContext units = new AnnotationConfigApplicationContext()) {
            units.registerBean(ObjectMapper.class, () -> json);
            units.registerBean(BatonRecords.class, () -> new BatonRecords(json));
            units.registerBean(UserLocks.class);
            units.registerBean(ProvisioningProperties.class, () -> provisioning);
            units.registerBean(SeismicClient.class, () -> new SeismicClient(null, json)); // never called here
            units.registerBean(ProducerTemplate.class, () -> null);
            units.scan("dev.batonseismic.resources");
            units.refresh();
            ConnectorSettings settings = new ConnectorSettings(null, null, null, null, null, null, List.of(), enabled, null);
            C1Hello hello = new C1Hello(settings, units.getBean(ResourceUnits.class), units.getBeanProvider(
                    org.springframework.boot.info.BuildProperties.class));
            out.println(C1zMessages.json(hello.metadata().getCapabilities()));
        }
    }
}
