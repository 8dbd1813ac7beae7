package dev.batonseismic.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * baton's configuration file (ConductorOne/baton-sdk {@code pkg/config/config.go}): {@code BATON_CONFIG_PATH}, else
 * {@code ./.baton.yaml} when there is one, holding baton's flags by name ({@code seismic-client-id: …},
 * {@code provisioning: true}, {@code sync-resource-types: [user, group]}). Each key is read as its environment variable
 * ({@code BATON_} + the name upper-cased, {@code -} as {@code _}; a list joined with commas), under the real
 * environment, which wins as in baton (viper: environment over config file). It runs right after Spring Boot's own
 * configuration, so every other setting, and the checks, see the file's values as if they were environment variables.
 * A named file that is missing or is not a YAML map of names is one sentence at start-up ({@link #problems}).
 */
public class BatonConfigFile implements EnvironmentPostProcessor, Ordered {
    static final String PATH = "BATON_CONFIG_PATH";
    static final String DEFAULT = ".baton.yaml";
    /** Where a problem with the file waits for the start-up check (a post-processor cannot stop start-up clearly). */
    static final String PROBLEM = "baton.config-file.problem";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String named = env.getProperty(PATH, "").trim();
        Path file;
        try {
            file = Path.of(named.isEmpty() ? DEFAULT : named);
        } catch (InvalidPathException e) {
            problem(env, PATH + " names no readable file: '" + named + "'.");
            return;
        }
        if (named.isEmpty() && !Files.isRegularFile(file)) {
            return; // no ./.baton.yaml: nothing to read, as in baton
        }
        Object doc;
        try (Reader in = Files.newBufferedReader(file)) {
            doc = new Yaml().load(in);
        } catch (IOException e) {
            problem(env, PATH + " names no readable file: '" + file + "'.");
            return;
        } catch (YAMLException e) {
            problem(env, "The baton configuration file " + file + " is not YAML: " + firstLine(e.getMessage()) + ".");
            return;
        }
        if (doc == null) {
            return;
        }
        if (!(doc instanceof Map<?, ?> map)) {
            problem(env, "The baton configuration file " + file + " is malformed: expected baton's flags by name, e.g. seismic-tenant: acme.");
            return;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k != null && v != null && !(v instanceof Map)) {
                values.put("BATON_" + k.toString().trim().toUpperCase(Locale.ROOT).replace('-', '_'),
                        v instanceof Collection<?> c ? c.stream().map(String::valueOf).collect(Collectors.joining(",")) : v.toString());
            }
        });
        env.getPropertySources().addLast(new MapPropertySource("batonConfigFile " + file, values));
    }

    private static void problem(ConfigurableEnvironment env, String sentence) {
        env.getPropertySources().addFirst(new MapPropertySource("batonConfigFileProblem", Map.of(PROBLEM, sentence)));
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable").trim();
    }

    /** The file's problem, if reading it had one. */
    static void problems(Environment env, List<String> problems) {
        String problem = env.getProperty(PROBLEM);
        if (problem != null) {
            problems.add(problem);
        }
    }

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }
}
