package dev.batonseismic.c1;

import dev.batonseismic.baton.v2.Capability;
import dev.batonseismic.baton.v2.CapabilityDetailCredentialOption;
import dev.batonseismic.baton.v2.ConnectorAccountCreationSchema;
import dev.batonseismic.baton.v2.ConnectorCapabilities;
import dev.batonseismic.baton.v2.ConnectorMetadata;
import dev.batonseismic.baton.v2.CredentialDetails;
import dev.batonseismic.baton.v2.CredentialDetailsAccountProvisioning;
import dev.batonseismic.baton.v2.ResourceTypeCapability;
import dev.batonseismic.c1.api.BatonServiceHelloRequest;
import dev.batonseismic.config.ConnectorSettings;
import dev.batonseismic.resources.ResourceUnit;
import dev.batonseismic.resources.ResourceUnits;
import dev.batonseismic.sink.C1zMessages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/**
 * What Hello tells ConductorOne: host id (set by {@link C1Client}), build and OS information, and the connector's
 * metadata with capabilities that match this configuration, as each resource type states them (as {@code baton-seismic}
 * offers them: users, groups and roles synced, and provisioned only when {@code BATON_PROVISIONING} is true; licenses
 * synced only).
 */
@Component("c1Hello")
public class C1Hello {
    private final ConnectorSettings settings;
    private final ResourceUnits units;
    private final String version;

    public C1Hello(ConnectorSettings settings, ResourceUnits units, ObjectProvider<BuildProperties> build) {
        this.settings = settings;
        this.units = units;
        this.version = version(build);
    }

    /** The connector's version from the build's {@code META-INF/build-info.properties}; {@code dev} without it. */
    static String version(ObjectProvider<BuildProperties> build) {
        BuildProperties b = build.getIfAvailable();
        return b == null || b.getVersion() == null ? "dev" : b.getVersion();
    }

    /** The Hello for the start-up handshake, or for a hello task (then with its id: exchange property {@code c1Task}). */
    public BatonServiceHelloRequest request(Exchange ex) {
        C1Task task = ex.getProperty(C1Tasks.TASK, C1Task.class);
        BatonServiceHelloRequest.Builder hello = BatonServiceHelloRequest.newBuilder()
                .setBuildInfo(BatonServiceHelloRequest.BuildInfo.newBuilder()
                        .setLangVersion("java " + System.getProperty("java.version"))
                        .setPackage("dev.batonseismic:seismic-connector")
                        .setPackageVersion(version))
                .setOsInfo(osInfo())
                .setConnectorMetadata(metadata());
        if (task != null) {
            hello.setTaskId(task.id());
        }
        return hello.build();
    }

    /** The connector's description and capabilities (what the {@code capabilities} of baton-seismic would print). */
    public ConnectorMetadata metadata() {
        boolean provisioning = settings.provisioningEnabled();
        ConnectorCapabilities.Builder caps = ConnectorCapabilities.newBuilder();
        Set<Capability> all = new TreeSet<>();
        units.all().stream().sorted(Comparator.comparing(ResourceUnit::type)).forEach(unit -> {
            Set<Capability> c = new TreeSet<>(unit.capabilities(provisioning));
            if (unit.targetEndpoint() != null) {
                // as baton-sdk's builder tells it (pkg/connectorbuilder): the type can be synced one resource at a
                // time, and the connector takes targeted sync tasks in service mode
                c.add(Capability.CAPABILITY_TARGETED_SYNC);
                all.add(Capability.CAPABILITY_SERVICE_MODE_TARGETED_SYNC);
            }
            all.addAll(c);
            caps.addResourceTypeCapabilities(ResourceTypeCapability.newBuilder()
                    .setResourceType(C1zMessages.resourceType(unit.resourceType())).addAllCapabilities(c));
        });
        caps.addAllConnectorCapabilities(all);
        ConnectorMetadata.Builder metadata = ConnectorMetadata.newBuilder()
                .setDisplayName("Seismic")
                .setDescription("Syncs Seismic users, groups and memberships, platform roles and content licenses"
                        + (provisioning ? "; provisions group membership, roles, account creation and deletion" : " (provisioning off)"))
                .setCapabilities(caps);
        if (provisioning) {
            caps.setCredentialDetails(CredentialDetails.newBuilder().setCapabilityAccountProvisioning(
                    CredentialDetailsAccountProvisioning.newBuilder()
                            .addSupportedCredentialOptions(CapabilityDetailCredentialOption.CAPABILITY_DETAIL_CREDENTIAL_OPTION_NO_PASSWORD)
                            .setPreferredCredentialOption(CapabilityDetailCredentialOption.CAPABILITY_DETAIL_CREDENTIAL_OPTION_NO_PASSWORD)));
            metadata.setCapabilities(caps).setAccountCreationSchema(accountSchema());
        }
        return metadata.build();
    }

    /** The profile fields an account creation reads ({@link C1TaskRequests#createAccount}). */
    private static ConnectorAccountCreationSchema accountSchema() {
        return ConnectorAccountCreationSchema.newBuilder()
                .putFieldMap("email", field("Email", true, "The user's work email; also the login unless one is given", "jane@acme.com", 1))
                .putFieldMap("login", field("Login", false, "Seismic userName; the email when empty", "jane@acme.com", 2))
                .putFieldMap("first_name", field("First name", false, "Given name", "Jane", 3))
                .putFieldMap("last_name", field("Last name", false, "Family name", "Doe", 4))
                .build();
    }

    private static ConnectorAccountCreationSchema.Field field(String name, boolean required, String description, String placeholder, int order) {
        return ConnectorAccountCreationSchema.Field.newBuilder().setDisplayName(name).setRequired(required).setDescription(description)
                .setPlaceholder(placeholder).setOrder(order).setStringField(ConnectorAccountCreationSchema.StringField.getDefaultInstance())
                .build();
    }

    /** Like gopsutil's host info in baton-sdk's hello.go: every field set (ConductorOne requires them non-empty). */
    static BatonServiceHelloRequest.OSInfo osInfo() {
        Map<String, String> release = osRelease();
        String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
        String platform = release.getOrDefault("ID", os);
        String arch = System.getProperty("os.arch", "unknown");
        return BatonServiceHelloRequest.OSInfo.newBuilder()
                .setHostname(C1Settings.hostName())
                .setOs(os)
                .setPlatform(platform)
                .setPlatformVersion(release.getOrDefault("VERSION_ID", System.getProperty("os.version", "unknown")))
                .setPlatformFamily(release.getOrDefault("ID_LIKE", platform).split(" ")[0])
                .setKernelVersion(System.getProperty("os.version", "unknown"))
                .setKernelArch(arch.equals("amd64") ? "x86_64" : arch)
                .setVirtualizationSystem(virtualization())
                .build();
    }

    private static Map<String, String> osRelease() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    String v = line.substring(eq + 1).trim().replaceAll("^\"|\"$", "");
                    if (!v.isEmpty()) {
                        out.put(line.substring(0, eq).trim(), v);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no os-release: the JVM's properties stand in
        }
        return out;
    }

    private static String virtualization() {
        if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
            return "kubernetes";
        }
        return Files.exists(Path.of("/.dockerenv")) ? "docker" : "none";
    }
}
