package dev.batonseismic.config;

import dev.batonseismic.c1.C1Properties;
import dev.batonseismic.c1.C1Settings;
import dev.batonseismic.telemetry.TelemetryProperties;
import dev.batonseismic.telemetry.TelemetrySettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.quartz.CronExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Reads and checks the settings the product takes from its environment (names as in the seed's Kubernetes Secret).
 * Every problem becomes one sentence naming the environment variable; secrets are never echoed. {@link SettingsCheck}
 * runs {@link #check} before any bean is made, so a deployment with several mistakes hears of all of them at once.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SeismicProperties.class, SyncProperties.class, ProvisioningProperties.class,
        SinkProperties.class, ConnectorProperties.class, C1Properties.class, HealthCheckProperties.class})
public class SettingsConfiguration {
    /** The settings start-up cannot do without (a user or an API key is required too). */
    public static final List<String> REQUIRED_ENV = List.of("BATON_SEISMIC_CLIENT_ID", "BATON_SEISMIC_CLIENT_SECRET", "BATON_SEISMIC_TENANT");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final List<Class<?>> PROPERTIES = List.of(SeismicProperties.class, SyncProperties.class,
            ProvisioningProperties.class, SinkProperties.class, ConnectorProperties.class,
            HealthCheckProperties.class);

    /** Checks every setting before any bean is made (the sink names come from the sink beans' definitions). */
    @Bean
    public static SettingsCheck settingsCheck() {
        return new SettingsCheck();
    }

    /**
     * Every problem with the settings in {@code env}, one sentence each; {@code sinkTypes} are the names SINK_TYPE may
     * take (the sink beans' and service mode's).
     *
     * @throws InvalidSettingException naming them all, if there is any
     */
    public static void check(Environment env, Collection<String> sinkTypes) {
        List<String> problems = new ArrayList<>();
        String clientId = required(env, "seismic.client-id", "BATON_SEISMIC_CLIENT_ID",
                "the OAuth2 client id of the Seismic app registration", problems);
        if (clientId != null && clientId.chars().anyMatch(Character::isWhitespace)) {
            problems.add("BATON_SEISMIC_CLIENT_ID is malformed: it contains whitespace.");
        }
        required(env, "seismic.client-secret", "BATON_SEISMIC_CLIENT_SECRET",
                "the OAuth2 client secret of the Seismic app registration", problems);
        String tenant = required(env, "seismic.tenant", "BATON_SEISMIC_TENANT",
                "the tenant name, e.g. acme for acme.seismic.com", problems);
        if (tenant != null && !TENANT.matcher(tenant).matches()) {
            problems.add("BATON_SEISMIC_TENANT is malformed: expected a tenant name such as acme (the subdomain of "
                    + "acme.seismic.com), got '" + tenant + "'.");
        }
        String delegationUser = delegationUser(env);
        if (delegationUser != null && !GUID.matcher(delegationUser).matches()) {
            problems.add("BATON_SEISMIC_DELEGATION_USER_ID is malformed: expected a Seismic user id (a GUID), got '"
                    + delegationUser + "'.");
        }
        String knownTenant = validTenant(tenant) ? tenant : "tenant";
        url(env, "seismic.api-url", "BATON_SEISMIC_API_URL", knownTenant, problems);
        url(env, "seismic.auth-url", "BATON_SEISMIC_AUTH_URL", knownTenant, problems);
        bool(env, "provisioning.enabled", "BATON_PROVISIONING", problems);
        String sinkType = env.getProperty("sink.type", "").trim().toLowerCase(Locale.ROOT);
        C1Properties c1 = SettingsBinder.bind(env, C1Properties.class, problems);
        if (!sinkType.isEmpty() && !sinkTypes.contains(sinkType)) {
            problems.add("SINK_TYPE '" + sinkType + "' is not available in this version: use "
                    + String.join(", ", sinkTypes.stream().sorted().toList()) + ".");
        } else {
            C1Settings.read(c1 == null ? new C1Properties(null, null, null, null, null, null, null, null, null, null) : c1, sinkType, problems);
        }
        if (!hasText(env, "connector.security.users[0].name") && !hasText(env, "connector.security.api-keys[0].key")) {
            problems.add("CONNECTOR_SECURITY_USERS_0_NAME is not set: the REST API and Hawtio need at least one user "
                    + "(CONNECTOR_SECURITY_USERS_0_NAME, _PASSWORD, _ROLES) or API key (CONNECTOR_SECURITY_API_KEYS_0_KEY).");
        }
        clusterProblems(env, problems);
        BatonConfigFile.problems(env, problems);
        BatonStandardSettings.problems(env, problems);
        TelemetrySettings.read(SettingsBinder.bind(env, TelemetryProperties.class, problems), problems);
        if (env.getProperty(RoutesDirectory.RESOLVED) == null) {
            problems.add("CONNECTOR_ROUTES_DIR does not name a directory: no '" + env.getProperty(RoutesDirectory.PROPERTY, "routes")
                    + "' found in the working directory or next to the application.");
        }
        for (Class<?> type : PROPERTIES) {
            SettingsBinder.bind(env, type, problems);
        }
        String cron = env.getProperty("sync.cron");
        if (cron != null && !CronExpression.isValidExpression(cron.trim().replace('+', ' '))) {
            problems.add(SettingsBinder.malformed("sync.cron", "a Quartz cron with + for spaces, e.g. 0+0+0/6+*+*+?", cron));
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingException(problems);
        }
    }

    /** The Seismic settings, after {@link #check} has passed. */
    @Bean
    public ConnectorSettings connectorSettings(Environment env) {
        List<String> scopes = Arrays.stream(env.getProperty("seismic.scopes", "").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
        String tenant = env.getProperty("seismic.tenant", "").trim();
        // TenantUrls has filled in {tenant} for every reader; filled in here too for the settings a property source
        // adds after the environment was prepared (a test's dynamic properties)
        return new ConnectorSettings(env.getProperty("seismic.client-id", "").trim(), env.getProperty("seismic.client-secret", "").trim(),
                tenant, delegationUser(env), URI.create(withTenant(env.getProperty("seismic.api-url", ""), tenant)),
                URI.create(withTenant(env.getProperty("seismic.auth-url", ""), tenant)), scopes,
                env.getProperty("provisioning.enabled", "").trim().equalsIgnoreCase("true"), env.getProperty(RoutesDirectory.RESOLVED));
    }

    /** ConductorOne service mode's settings, after {@link #check} has passed. */
    @Bean
    public C1Settings c1Settings(C1Properties c1, Environment env) {
        return C1Settings.read(c1, env.getProperty("sink.type"), new ArrayList<>());
    }

    /** Optional: without it the delegated user comes from Seismic's delegation callback (readiness says so). */
    private static String delegationUser(Environment env) {
        String v = env.getProperty("seismic.delegation-user-id", "").trim();
        return v.isEmpty() ? null : v;
    }

    private static void clusterProblems(Environment env, List<String> problems) {
        if (!env.getProperty("connector.cluster.enabled", "true").trim().equals("true")) {
            return;
        }
        String type = env.getProperty("connector.cluster.type", "file").trim().toLowerCase(Locale.ROOT);
        if (type.equals("kubernetes")) {
            if (!hasText(env, "connector.cluster.kubernetes.pod-name")) {
                problems.add("POD_NAME is not set: with CONNECTOR_CLUSTER_TYPE=kubernetes give it the pod's name "
                        + "(the Downward API's metadata.name); it is the Lease holder's identity.");
            }
        } else if (!type.equals("file")) {
            problems.add("CONNECTOR_CLUSTER_TYPE is malformed: expected file or kubernetes, got '" + type + "'.");
        }
    }

    private static String required(Environment env, String property, String envName, String meaning, List<String> problems) {
        String v = env.getProperty(property);
        if (v == null || v.isBlank()) {
            problems.add(envName + " is not set: give it " + meaning + ".");
            return null;
        }
        return v.trim();
    }

    private static boolean hasText(Environment env, String property) {
        String v = env.getProperty(property);
        return v != null && !v.isBlank();
    }

    /** A tenant name such as acme, the subdomain of acme.seismic.com. */
    static boolean validTenant(String tenant) {
        return tenant != null && TENANT.matcher(tenant).matches();
    }

    /**
     * A Seismic URL with its {@code {tenant}} placeholder filled in, so the token URL can be written as Seismic documents
     * it: {@code https://auth.seismic.com/tenants/{tenant}/connect/token}.
     */
    static String withTenant(String url, String tenant) {
        return url.trim().replace("{tenant}", tenant);
    }

    private static URI url(Environment env, String property, String envName, String tenant, List<String> problems) {
        String raw = env.getProperty(property, "").trim();
        String v = withTenant(raw, tenant);
        try {
            URI uri = new URI(v);
            if (uri.isAbsolute() && (uri.getScheme().equals("https") || uri.getScheme().equals("http")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problems.add(envName + " is malformed: expected an absolute http(s) URL, got '"
                + (raw.length() > 80 ? raw.substring(0, 80) + "…" : raw) + "'.");
        return null;
    }

    private static boolean bool(Environment env, String property, String envName, List<String> problems) {
        String v = env.getProperty(property, "").trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        problems.add(envName + " is malformed: expected true or false, got '" + v + "'.");
        return false;
    }
}
