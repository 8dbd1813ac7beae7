package dev.batonseismic;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * For tests that start the app (or the emulator) as its own JVM, configured by environment variables only, the
 * way an operator runs it: the java binary and classpath of this test JVM, free local ports, and an operator login.
 */
public final class ChildJvm {
    /** The operator user the child apps are given ({@link #OPERATOR_ENV}), and its HTTP basic header. */
    public static final Map<String, String> OPERATOR_ENV = Map.of("CONNECTOR_SECURITY_USERS_0_NAME", "ops",
            "CONNECTOR_SECURITY_USERS_0_PASSWORD", "ops-password", "CONNECTOR_SECURITY_USERS_0_ROLES", "admin");
    public static final String OPERATOR_AUTH = "Basic " + Base64.getEncoder().encodeToString("ops:ops-password".getBytes());

    private ChildJvm() {}

    /** The java binary running this test. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** {@code java -cp <test classpath> <mainClass>}, with only the given environment, output to {@code log}. */
    public static ProcessBuilder main(Class<?> mainClass, Map<String, String> env, Path log) {
        return main(mainClass, List.of("-XX:TieredStopAtLevel=1"), env, log);
    }

    /** {@code java <jvmOptions> -cp <test classpath> <mainClass>}, with only the given environment, output to {@code log}. */
    public static ProcessBuilder main(Class<?> mainClass, List<String> jvmOptions, Map<String, String> env, Path log) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** GET {@code http://127.0.0.1:<port><path>} as the operator. */
    public static HttpResponse<String> getAsOperator(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", OPERATOR_AUTH).build(), HttpResponse.BodyHandlers.ofString());
    }
}
