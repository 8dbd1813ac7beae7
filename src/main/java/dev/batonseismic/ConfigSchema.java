package dev.batonseismic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.config.BatonStandardSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code java -jar … config}: the connector's configuration schema as JSON, as baton's {@code config} subcommand prints
 * its connector's, then exit 0; nothing is started and nothing is contacted. Each field: the environment variable
 * that sets it, the property, its type (from the {@code @ConfigurationProperties} records' metadata), its default
 * (from application.yaml; secrets' defaults are never printed), and whether it is a secret; then baton's standard
 * variables this connector refuses.
 */
public final class ConfigSchema {
    private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([A-Z0-9_]+):(.*)}$");

    private ConfigSchema() {}

    /** Writes the schema to {@code out}. */
    public static void print(PrintStream out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode metadata;
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            metadata = json.readTree(in);
        }
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"));
        PropertySource<?> defaults = yaml.get(0);
        ObjectNode schema = json.createObjectNode();
        schema.put("connector", "seismic");
        ArrayNode fields = schema.putArray("fields");
        for (JsonNode p : metadata.path("properties")) {
            String property = p.path("name").asText();
            Object raw = defaults.getProperty(property);
            String env = property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            String value = raw == null ? null : raw.toString().trim();
            if (value != null) {
                Matcher m = PLACEHOLDER.matcher(value);
                if (m.matches()) {
                    env = m.group(1);
                    value = m.group(2);
                }
            }
            boolean secret = env.contains("SECRET") || env.contains("PASSWORD") || property.endsWith(".key");
            ObjectNode f = fields.addObject();
            f.put("name", env);
            f.put("property", property);
            f.put("type", p.path("type").asText().replace("java.lang.", "").replace("java.time.", "").replace("java.util.", ""));
            if (value != null && !value.isEmpty() && !secret) {
                f.put("default", value);
            }
            if (secret) {
                f.put("secret", true);
            }
        }
        ArrayNode refused = schema.putArray("refused");
        for (Map.Entry<String, String> e : BatonStandardSettings.unsupported().entrySet()) {
            refused.addObject().put("name", e.getKey()).put("why", e.getValue());
        }
        out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(schema));
    }
}
