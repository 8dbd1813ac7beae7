package dev.batonseismic.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batonseismic.config.SettingsConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The k8s manifests and the app describe the same product: env vars, ConfigMaps of routes/ and config/, probes. */
class ManifestsTest {
    static final Path K8S = Path.of("k8s/base");
    /**
     * The files of routes/ and config/ that stay out of the cluster's ConfigMaps: the local profile is for running from
     * the project directory (it reloads edited routes), never for a pod.
     */
    static final Set<String> OUTSIDE_THE_CLUSTER = Set.of("config/application-local.yaml");

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents() throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                new Yaml().loadAll(Files.readString(f)).forEach(d -> docs.add((Map<String, Object>) d));
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Map<String, Object> m, String... path) {
        Object o = m;
        for (String p : path) {
            o = o instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) o).get(p);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static Set<String> manifestEnv(List<Map<String, Object>> docs, Map<String, Object> container) {
        Set<String> env = new HashSet<>();
        ((List<Map<String, Object>>) container.get("env")).forEach(e -> env.add((String) e.get("name")));
        for (Map<String, Object> from : (List<Map<String, Object>>) container.get("envFrom")) {
            String secret = (String) ((Map<String, Object>) from.get("secretRef")).get("name");
            Map<String, Object> doc = docs.stream().filter(d -> "Secret".equals(d.get("kind")) && secret.equals(at(d, "metadata").get("name")))
                    .findFirst().orElseThrow(() -> new AssertionError("envFrom names a Secret the manifests lack: " + secret));
            env.addAll(((Map<String, Object>) doc.get("stringData")).keySet());
        }
        return env;
    }

    @Test
    @SuppressWarnings("unchecked")
    void deploymentKeepsTheSeedAndSetsOnlyWhatTheAppReads() throws Exception {
        List<Map<String, Object>> docs = documents();
        Map<String, Object> deployment = docs.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(at(deployment, "metadata").get("name")).isEqualTo("baton-seismic");
        assertThat(at(deployment, "spec", "template", "metadata", "labels")).containsEntry("app", "baton-seismic")
                .containsEntry("baton", "true").containsEntry("baton-app", "seismic");
        Map<String, Object> container = at(deployment, "spec", "template", "spec", "containers", "0");
        Set<String> env = manifestEnv(docs, container);
        assertThat(env).contains("BATON_HOST_ID", "BATON_PROVISIONING", "BATON_SEISMIC_DELEGATION_USER_ID");
        // the seed's service mode: C1's credentials in the Secret, the host id in the pod, and no sink chosen
        assertThat(env).contains("BATON_CLIENT_ID", "BATON_CLIENT_SECRET").doesNotContain("SINK_TYPE");

        String appYaml = Files.readString(Path.of("src/main/resources/application.yaml"), StandardCharsets.UTF_8);
        Set<String> placeholders = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]+)[:}]").matcher(appYaml);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        Pattern relaxed = Pattern.compile("CONNECTOR_SECURITY_(USERS|API_KEYS)_\\d+_(NAME|PASSWORD|ROLES|KEY)|SPRING_PROFILES_ACTIVE|JAVA_TOOL_OPTIONS");
        assertThat(env).allSatisfy(name -> assertThat(placeholders.contains(name) || relaxed.matcher(name).matches())
                .as(name + " is set by the manifests but not read by the app").isTrue());
        assertThat(env).as("required settings").containsAll(SettingsConfiguration.REQUIRED_ENV).contains("CONNECTOR_SECURITY_USERS_0_NAME");

        Map<String, Object> security = at(deployment, "spec", "template", "spec", "securityContext");
        assertThat(security).containsEntry("runAsNonRoot", true);
        assertThat(at(container, "readinessProbe", "httpGet").get("path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "livenessProbe", "httpGet").get("path")).isEqualTo("/actuator/health/liveness");
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) container.get("volumeMounts");
        assertThat(mounts).extracting(v -> v.get("mountPath")).contains("/app/routes", "/app/config", "/data");
        String containerProfile = Files.readString(Path.of("config/application-container.yaml"));
        assertThat(containerProfile).contains("routes-dir: /app/routes").contains("data-dir: /data");
    }

    @Test
    @SuppressWarnings("unchecked")
    void configMapsCarryEveryRouteAndConfigFileForTheCluster() throws Exception {
        Map<String, Object> kustomization = new Yaml().load(Files.readString(K8S.resolve("kustomization.yaml")));
        Set<String> listed = new HashSet<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) kustomization.get("configMapGenerator")) {
            ((List<String>) g.get("files")).forEach(f -> listed.add(Path.of(f).normalize().toString()));
        }
        Set<String> onDisk = new HashSet<>();
        for (String dir : List.of("routes", "config")) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                files.filter(p -> p.toString().endsWith(".yaml") && !OUTSIDE_THE_CLUSTER.contains(p.toString()))
                        .forEach(p -> onDisk.add("../../" + p));
            }
        }
        assertThat(listed).isEqualTo(onDisk.stream().map(p -> Path.of(p).normalize().toString()).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLeaderLeaseIsWhatTheServiceAccountMayHold() throws Exception {
        List<Map<String, Object>> docs = documents();
        Map<String, Object> pod = at(docs.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow(), "spec", "template");
        String account = (String) at(pod, "spec").get("serviceAccountName");
        assertThat(docs).anySatisfy(d -> {
            assertThat(d.get("kind")).isEqualTo("ServiceAccount");
            assertThat(at(d, "metadata").get("name")).isEqualTo(account);
        });
        Map<String, Object> binding = docs.stream().filter(d -> "RoleBinding".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(((List<Map<String, Object>>) binding.get("subjects"))).extracting(x -> x.get("name")).containsExactly(account);
        String roleName = (String) at(binding, "roleRef").get("name");
        Map<String, Object> role = docs.stream().filter(d -> "Role".equals(d.get("kind")) && roleName.equals(at(d, "metadata").get("name")))
                .findFirst().orElseThrow();
        List<Map<String, Object>> rules = (List<Map<String, Object>>) role.get("rules");
        assertThat(rules).anySatisfy(r -> {
            assertThat((List<String>) r.get("apiGroups")).contains("coordination.k8s.io");
            assertThat((List<String>) r.get("resources")).contains("leases");
            assertThat((List<String>) r.get("verbs")).contains("get", "create", "update");
        }).anySatisfy(r -> {
            assertThat((List<String>) r.get("resources")).contains("pods");
            assertThat((List<String>) r.get("verbs")).contains("list");
        });
        // the pods that may lead carry the label the cluster service looks for (application.yaml)
        assertThat(at(pod, "metadata", "labels")).containsEntry("app", "baton-seismic");
        assertThat(Files.readString(Path.of("src/main/resources/application.yaml"))).contains("app: baton-seismic");
        Map<String, Object> container = at(pod, "spec", "containers", "0");
        assertThat((List<Map<String, Object>>) container.get("env")).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("CONNECTOR_CLUSTER_TYPE");
            assertThat(e.get("value")).isEqualTo("kubernetes");
        }).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("POD_NAME");
            assertThat(at(e, "valueFrom", "fieldRef").get("fieldPath")).isEqualTo("metadata.name");
        });
    }

    @Test
    void kustomizeRendersWhereKubectlIsInstalled() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed here");
        String single = kustomize("k8s");
        assertThat(single).contains("kind: Deployment").contains("name: baton-seismic-routes-").contains("name: baton-seismic-config-")
                .contains("kind: ServiceAccount").contains("replicas: 1").contains("- ReadWriteOnce");
        String ha = kustomize("k8s/ha");
        assertThat(ha).contains("replicas: 2").contains("- ReadWriteMany").contains("name: SPRING_ARTEMIS_BROKER_URL")
                .contains("name: baton-seismic-routes-");
    }

    private static String kustomize(String dir) throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor=LoadRestrictionsNone", dir).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
