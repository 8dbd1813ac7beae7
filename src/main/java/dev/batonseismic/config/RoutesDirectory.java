package dev.batonseismic.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.system.ApplicationHome;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Finds the YAML routes directory ({@code connector.routes-dir}, env {@code CONNECTOR_ROUTES_DIR}, default
 * {@code routes}) and hands Camel an absolute path, so the app starts from any working directory: a relative
 * setting is tried against the working directory, then the directory of the jar, then its parent and grandparent (a jar
 * under {@code target/}, or classes under {@code target/classes}). When nothing is found the setting is left as given and start-up validation names it.
 */
public class RoutesDirectory implements EnvironmentPostProcessor, Ordered {
    static final String PROPERTY = "connector.routes-dir";
    static final String RESOLVED = "connector.routes-dir-resolved";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String configured = env.getProperty(PROPERTY, "routes");
        Path found = null;
        for (Path candidate : candidates(configured, application)) {
            if (Files.isDirectory(candidate)) {
                found = candidate.toAbsolutePath().normalize();
                break;
            }
        }
        if (found != null) {
            env.getPropertySources().addFirst(new MapPropertySource("connectorRoutesDirectory", Map.of(
                    RESOLVED, found.toString(),
                    "camel.main.routes-include-pattern", "file:" + found + "/*.yaml")));
        }
    }

    static List<Path> candidates(String configured, SpringApplication application) {
        Path given = Path.of(configured);
        List<Path> out = new ArrayList<>();
        out.add(given);
        if (!given.isAbsolute()) {
            Class<?> source = application == null ? null : application.getMainApplicationClass();
            Path home = new ApplicationHome(source).getDir().toPath();
            out.add(home.resolve(configured));
            Path parent = home.getParent();
            if (parent != null) {
                out.add(parent.resolve(configured));
                if (parent.getParent() != null) {
                    out.add(parent.getParent().resolve(configured));
                }
            }
        }
        return out;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
