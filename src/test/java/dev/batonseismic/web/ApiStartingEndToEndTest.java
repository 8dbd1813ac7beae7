package dev.batonseismic.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.Application;
import dev.batonseismic.ChildJvm;
import dev.batonseismic.emulator.EmulatorSettings;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The window between Tomcat's port opening and Camel starting the REST routes, seen from outside: the app in its own
 * JVM, with that window held open until the test has seen it (the file {@value SlowRoutes#RELEASE} in its working
 * directory lets Camel start), polled from before the port opens. Every answer is a 503 with Retry-After and the
 * API's JSON error until the routes answer; never a 404.
 */
class ApiStartingEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The app, with Camel's start (on Spring's ContextRefreshedEvent, after the port opens) held back until released. */
    public static final class SlowRoutes implements SmartLifecycle {
        static final String RELEASE = "release-routes";
        private volatile boolean running;

        public static void main(String[] args) {
            SpringApplication app = new SpringApplication(Application.class);
            app.addInitializers(ctx -> ((GenericApplicationContext) ctx).registerBean("slowRoutes", SlowRoutes.class, SlowRoutes::new));
            app.run(args);
        }

        @Override
        public void start() {
            // released by the test once it has seen answers in the window; at worst after a minute
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(Path.of(RELEASE)));
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        /** After the web server's phase (its port is open), before the context's refresh event starts Camel. */
        @Override
        public int getPhase() {
            return Integer.MAX_VALUE - 100;
        }
    }

    @Test
    void noCallIsAnswered404WhileTheRoutesStart() throws Exception {
        int port = ChildJvm.freePort();
        EmulatorSettings s = new EmulatorSettings();
        Map<String, String> env = new HashMap<>(ChildJvm.OPERATOR_ENV);
        env.put("BATON_SEISMIC_CLIENT_ID", s.clientId);
        env.put("BATON_SEISMIC_CLIENT_SECRET", "never-used");
        env.put("BATON_SEISMIC_TENANT", "acme");
        env.put("BATON_SEISMIC_DELEGATION_USER_ID", s.delegatedUserId);
        env.put("SYNC_CRON", "0+0+0+1+1+?+2099");
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("SINK_FILE_DIRECTORY", dir.resolve("out").toString());
        Path log = dir.resolve("out.log");
        Process p = ChildJvm.main(SlowRoutes.class, env, log).directory(dir.toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, Integer> seen = new LinkedHashMap<>(); // "GET 503" -> count
        List<String> wrong = new ArrayList<>();
        List<HttpRequest> calls = List.of(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/syncs"))
                        .header("Authorization", ChildJvm.OPERATOR_AUTH).build(),
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/provisioning"))
                        .header("Authorization", ChildJvm.OPERATOR_AUTH).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        List<HttpResponse<String>> starting = new ArrayList<>();
        List<HttpResponse<String>> up = new ArrayList<>();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!p.isAlive()) {
                    return true; // reported below, with its log
                }
                for (HttpRequest req : calls) {
                    HttpResponse<String> r;
                    try {
                        r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    } catch (ConnectException notYetListening) {
                        return false;
                    }
                    seen.merge(req.method() + " " + r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() == 503) {
                        starting.add(r);
                    } else if (req.method().equals("GET") && r.statusCode() == 200) {
                        up.add(r);
                    } else if (!(req.method().equals("POST") && r.statusCode() == 400)) {
                        wrong.add(req.method() + " " + req.uri().getPath() + " " + r.statusCode() + " " + r.body());
                    }
                }
                if (seen.getOrDefault("GET 503", 0) > 5 && seen.getOrDefault("POST 503", 0) > 5) {
                    Files.writeString(dir.resolve(SlowRoutes.RELEASE), "seen"); // the window was seen: let Camel start
                }
                return !up.isEmpty();
            });
            String out = Files.readString(log);
            System.out.println("Answers while the app started, by method and status: " + seen);
            assertThat(up).as("the API came up; answers seen: " + seen + "\n" + out).isNotEmpty();
            assertThat(up.get(0).body()).isEqualTo("[]");
            assertThat(wrong).as("while starting, only 503 (then the routes' own answers); seen: " + seen).isEmpty();
            assertThat(starting).as("the window was seen: " + seen).isNotEmpty();
            assertThat(starting.get(0).headers().firstValue("Retry-After")).hasValue("2");
            assertThat(starting.get(0).headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(JSON.readTree(starting.get(0).body()).path("error").asText()).isEqualTo("the connector is starting: try again in a moment");
            assertThat(seen.getOrDefault("GET 503", 0) + seen.getOrDefault("POST 503", 0)).as("503s over the window").isGreaterThan(5);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
