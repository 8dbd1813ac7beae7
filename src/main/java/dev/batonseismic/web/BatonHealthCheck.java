package dev.batonseismic.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.batonseismic.config.HealthCheckProperties;
import dev.batonseismic.seismic.SeismicTokenHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * baton's health check server ({@code BATON_HEALTH_CHECK=true}), as baton-sdk's {@code pkg/healthcheck/server.go}
 * serves it, on its own port ({@code BATON_HEALTH_CHECK_PORT}, 8081) and address
 * ({@code BATON_HEALTH_CHECK_BIND_ADDRESS}, 127.0.0.1), without credentials: {@code /health} validates the connector
 * (a Seismic token can be had: 200 {@code healthy}, else 503 {@code unhealthy} with the reason), {@code /ready} says
 * whether the routes run (200 {@code ready}, else 503 {@code not_ready}), {@code /live} is always 200 {@code alive}.
 * Each answer is {@code {"status", "timestamp", "details"?}}. The actuator's health endpoints stay as they are.
 */
@Component
@ConditionalOnProperty(name = "baton.health-check.enabled", havingValue = "true")
public class BatonHealthCheck implements SmartLifecycle {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HealthCheckProperties settings;
    private final SeismicTokenHealth seismic;
    private final CamelContext camel;
    private volatile HttpServer server;

    public BatonHealthCheck(HealthCheckProperties settings, SeismicTokenHealth seismic, CamelContext camel) {
        this.settings = settings;
        this.seismic = seismic;
        this.camel = camel;
    }

    @Override
    public void start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 16);
            s.createContext("/health", ex -> answer(ex, health()));
            s.createContext("/ready", ex -> answer(ex, camel.getStatus().isStarted() ? new Answer(200, "ready", null)
                    : new Answer(503, "not_ready", Map.of("error", "the connector's routes are not running"))));
            s.createContext("/live", ex -> answer(ex, new Answer(200, "alive", null)));
            s.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "baton-health-check");
                t.setDaemon(true);
                return t;
            }));
            s.start();
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve BATON_HEALTH_CHECK on " + settings.bindAddress() + ":" + settings.port()
                    + " (BATON_HEALTH_CHECK_BIND_ADDRESS, BATON_HEALTH_CHECK_PORT): " + e.getMessage(), e);
        }
    }

    /** The port it listens on (another than configured only when that is 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private record Answer(int status, String word, Map<String, String> details) {}

    private Answer health() {
        Health h = seismic.health();
        if (Status.UP.equals(h.getStatus())) {
            return new Answer(200, "healthy", null);
        }
        return new Answer(503, "unhealthy", Map.of("error", "connector validation failed",
                "validation_error", String.valueOf(h.getDetails().getOrDefault("reason", h.getStatus().getCode()))));
    }

    private static void answer(HttpExchange ex, Answer a) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", a.word());
        body.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (a.details() != null) {
            body.put("details", a.details());
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        HttpServer s = server;
        if (s != null) {
            s.stop(0);
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
