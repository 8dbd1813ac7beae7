package dev.batonseismic.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batonseismic.emulator.HttpCall.Answer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's own control surface under {@code /_emulator} (no auth, no limit, not logged):
 * <pre>
 * GET    /_emulator                 this list
 * GET    /_emulator/truth[?detail=true]   ground truth: counts, and with detail memberships, role and license holders
 * GET    /_emulator/requests[?entries=N]  per-endpoint counters, total, and the last N requests (default 100)
 * DELETE /_emulator/requests        clear the request log
 * POST   /_emulator/reset           {"users":N,"seed":S} optional: regenerate the tenant, clear log, faults, tokens
 * GET    /_emulator/settings        current settings
 * PUT    /_emulator/settings        change settings, e.g. {"rateLimit":0} or {"latencyMs":100} or {"appScopes":[...]}
 * GET    /_emulator/faults          armed fault rules
 * POST   /_emulator/faults          add one: {"kind":"STATUS|RATE_LIMIT|SLOW|TRUNCATE|RESET|STATUS_AFTER_APPLY","status":503,
 *                                   "method":"GET","pathRegex":"/Groups/","skip":0,"times":1,"delayMs":2000,
 *                                   "retryAfterSeconds":5}
 * DELETE /_emulator/faults          remove all
 * POST   /_emulator/tokens/revoke   invalidate every issued token
 * </pre>
 */
final class ControlEndpoints {
    private final SeismicEmulator emulator;

    ControlEndpoints(SeismicEmulator emulator) {
        this.emulator = emulator;
    }

    Answer handle(HttpCall call) {
        try {
            String key = call.method + " " + call.path.replaceAll("/+$", "");
            return switch (key) {
                case "GET /_emulator" -> text(ControlEndpoints.class.getSimpleName() + " of the Seismic emulator: see docs/emulator.md\n"
                        + "GET /_emulator/truth[?detail=true]\nGET|DELETE /_emulator/requests\nPOST /_emulator/reset\n"
                        + "GET|PUT /_emulator/settings\nGET|POST|DELETE /_emulator/faults\nPOST /_emulator/tokens/revoke\n");
                case "GET /_emulator/truth" -> {
                    GroundTruth t = emulator.truth();
                    Object body = "true".equals(call.query.get("detail")) ? t
                            : Map.of("counts", t.counts(), "minimalScimCalls", t.minimalScimCalls());
                    yield json(200, body);
                }
                case "GET /_emulator/requests" -> {
                    int n = Integer.parseInt(call.query.getOrDefault("entries", "100"));
                    List<RequestLog.Entry> all = emulator.requests.entries();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("total", emulator.requests.total());
                    body.put("counters", emulator.requests.counters());
                    body.put("entries", all.subList(Math.max(0, all.size() - n), all.size()));
                    yield json(200, body);
                }
                case "DELETE /_emulator/requests" -> {
                    emulator.requests.clear();
                    yield Answer.empty(204);
                }
                case "POST /_emulator/reset" -> {
                    JsonNode body = call.body.length == 0 ? null : emulator.readJson(call.body);
                    if (body != null) {
                        emulator.settings.users = body.path("users").asInt(emulator.settings.users);
                        emulator.settings.seed = body.path("seed").asLong(emulator.settings.seed);
                    }
                    emulator.reset();
                    yield json(200, Map.of("counts", emulator.truth().counts()));
                }
                case "GET /_emulator/settings" -> json(200, emulator.settings);
                case "PUT /_emulator/settings" -> {
                    emulator.json.readerForUpdating(emulator.settings).readValue(call.body);
                    yield json(200, emulator.settings);
                }
                case "GET /_emulator/faults" -> json(200, emulator.faults.rules());
                case "POST /_emulator/faults" -> {
                    JsonNode b = emulator.readJson(call.body);
                    FaultInjector.Kind kind = FaultInjector.Kind.valueOf(b.path("kind").asText("STATUS"));
                    FaultInjector.Rule base = FaultInjector.Rule.of(kind);
                    FaultInjector.Rule rule = new FaultInjector.Rule(kind, text(b, "method"), text(b, "pathRegex"),
                            b.path("status").asInt(base.status()), b.path("delayMs").asLong(base.delayMs()),
                            b.path("retryAfterSeconds").asLong(base.retryAfterSeconds()), b.path("skip").asInt(0),
                            b.path("times").asInt(base.times()));
                    emulator.faults.add(rule);
                    yield json(201, rule);
                }
                case "DELETE /_emulator/faults" -> {
                    emulator.faults.clear();
                    yield Answer.empty(204);
                }
                case "POST /_emulator/tokens/revoke" -> {
                    emulator.revokeTokens();
                    yield Answer.empty(204);
                }
                default -> emulator.jsonError(404, "No control endpoint " + key + ".");
            };
        } catch (IOException | IllegalArgumentException e) {
            return emulator.jsonError(400, "Bad control request: " + e.getMessage());
        }
    }

    private Answer json(int status, Object body) {
        return Answer.of(status, SeismicEmulator.JSON, emulator.bytes(body));
    }

    private static Answer text(String body) {
        return Answer.of(200, "text/plain; charset=utf-8", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
