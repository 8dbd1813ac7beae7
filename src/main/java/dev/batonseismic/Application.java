package dev.batonseismic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Seismic connector: Camel routes (loaded from {@code routes/}) on Spring Boot. {@code config} as the first
 * argument prints the configuration schema ({@link ConfigSchema}), {@code capabilities} what it can do given the
 * settings ({@link Capabilities}), and exits, as baton's subcommands do.
 */
@SpringBootApplication
public class Application {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("config")) {
            ConfigSchema.print(System.out);
            return;
        }
        if (args.length > 0 && args[0].equals("capabilities")) {
            Capabilities.print(System.out);
            return;
        }
        SpringApplication.run(Application.class, args);
    }
}
