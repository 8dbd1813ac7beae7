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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The window between Tomcat's port opening and Camel starting the REST routes, seen from outside: the app in its own
 * JVM, with that window stretched to {@value SlowRoutes#DELAY_MS} ms, polled from before the port opens. Every answer
 * is a 503 with Retry-After and the API's JSON error until the routes answer; never a 404.
 */
class ApiStartingEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The app, with Camel's start (on Spring's ContextRefreshedEvent, after the port opens) held back. */
    public static final class SlowRoutes implements SmartLifecycle {
        static final long DELAY_MS = 3000;
        private volatile boolean running;

        public static void main(String[] args) {
            SpringApplication app = new SpringApplication(Application.class);
            app.addInitializers(ctx -> ((GenericApplicationContext) ctx).registerBean("slowRoutes", SlowRoutes.class, SlowRoutes::new));
            app.run(args);
        }

        @Override
        public void start() {
            try {
                Thread.sleep(DELAY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
        HttpResponse<String> starting = null;
        HttpResponse<String> up = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try {
            while (up == null && System.nanoTime() < deadline && p.isAlive()) {
                for (HttpRequest req : List.of(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/syncs"))
                                .header("Authorization", ChildJvm.OPERATOR_AUTH).build(),
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/provisioning"))
                                .header("Authorization", ChildJvm.OPERATOR_AUTH).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}")).build())) {
                    HttpResponse<String> r;
                    try {
                        r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    } catch (ConnectException notYetListening) {
                        Thread.sleep(20);
                        continue;
                    }
                    seen.merge(req.method() + " " + r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() == 503) {
                        if (starting == null) {
                            starting = r;
                        }
                    } else if (req.method().equals("GET") && r.statusCode() == 200) {
                        up = r;
                    } else if (!(req.method().equals("POST") && r.statusCode() == 400)) {
                        wrong.add(req.method() + " " + req.uri().getPath() + " " + r.statusCode() + " " + r.body());
                    }
                }
            }
            String out = Files.readString(log);
            System.out.println("Answers while the app started, by method and status: " + seen);
            assertThat(up).as("the API came up; answers seen: " + seen + "\n" + out).isNotNull();
            assertThat(up.body()).isEqualTo("[]");
            assertThat(wrong).as("while starting, only 503 (then the routes' own answers); seen: " + seen).isEmpty();
            assertThat(starting).as("the window was seen: " + seen).isNotNull();
            assertThat(starting.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(starting.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(JSON.readTree(starting.body()).path("error").asText()).isEqualTo("the connector is starting: try again in a moment");
            assertThat(seen.getOrDefault("GET 503", 0) + seen.getOrDefault("POST 503", 0)).as("503s over the window").isGreaterThan(5);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
