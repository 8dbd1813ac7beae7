package dev.batonseismic.provisioning;

import dev.batonseismic.config.ProvisioningProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.config.ConnectorSettings;
import dev.batonseismic.resources.ResourceUnit;
import dev.batonseismic.resources.ResourceUnits;
import dev.batonseismic.resources.UserResources;
import dev.batonseismic.provisioning.ProvisioningResult.Status;
import dev.batonseismic.seismic.SeismicApiException;
import dev.batonseismic.seismic.SeismicAuthException;
import dev.batonseismic.web.RestErrors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the {@code provisioning} route: read the request, replay a repeated requestId, apply the provisioning
 * gate, carry out the operation against Seismic (docs/provisioning.md), and record the result (idempotency cache,
 * metrics). Every step reads and writes exchange properties: {@code provisioningRequest}, {@code provisioningTarget},
 * {@code provisioningResult}.
 */
@Component("provisioner")
public class Provisioner {
    public static final String RESULT = "provisioningResult";
    static final String REQUEST = "provisioningRequest";
    static final String TARGET = "provisioningTarget";
    private static final Logger log = LoggerFactory.getLogger(Provisioner.class);
    private static final Pattern SEISMIC_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,127}");
    /** Longest requestId accepted (it is echoed in results and used as a Kafka key). */
    static final int MAX_REQUEST_ID = 200;
    /** Header a replayed dead letter carries: its cached failed result is not replayed, the request runs again. */
    public static final String DEAD_LETTER_REPLAY = "deadLetterReplay";

    /**
     * What a request targets, parsed from its baton ids: {@code kind} names the operation's route
     * ({@code direct:provisioning-<kind>}, in the resource type's routes file); {@code grant} tells a grant from a revoke.
     */
    public record Target(String kind, String type, String resourceId, String slug, String userId, boolean grant) {}

    private final ObjectReader requests;
    private final int maxRequestBytes;
    private final ResourceUnits units;
    private final MeterRegistry meters;
    private final boolean enabled;
    private final int cacheSize;
    private final Map<String, CompletableFuture<ProvisioningResult>> results;

    public Provisioner(ObjectMapper json, ResourceUnits units, MeterRegistry meters, ConnectorSettings settings,
                       ProvisioningProperties provisioning) {
        int cacheSize = provisioning.resultsCacheSize();
        int maxRequestBytes = provisioning.maxRequestBytes();
        this.requests = json.readerFor(ProvisioningRequest.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxRequestBytes = maxRequestBytes;
        this.units = units;
        this.meters = meters;
        this.enabled = settings.provisioningEnabled();
        this.cacheSize = cacheSize;
        this.results = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<ProvisioningResult>> eldest) {
                return size() > Provisioner.this.cacheSize;
            }
        };
    }

    // ---- steps before the operation ----

    /** Reads the JSON request; a body that is not a request becomes a FAILED result. */
    public void read(Exchange ex) {
        ex.setProperty("provisioningStart", System.nanoTime());
        String body = ex.getMessage().getBody(String.class);
        try {
            int size = body == null ? 0 : body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (size > maxRequestBytes) {
                throw new BadRequestException(413, "the request is " + size + " bytes; at most " + maxRequestBytes
                        + " are accepted (provisioning.max-request-bytes)");
            }
            if (body == null || body.isBlank()) {
                throw BadRequestException.malformed("the request body is empty: send a JSON object with requestId and operation");
            }
            ProvisioningRequest req = requests.readValue(body);
            if (req == null) {
                throw BadRequestException.malformed("the request must be a JSON object, not null");
            }
            ex.setProperty(REQUEST, req);
            if (blank(req.requestId())) {
                throw BadRequestException.malformed("requestId is required");
            }
            if (req.requestId().length() > MAX_REQUEST_ID) {
                ex.removeProperty(REQUEST);
                throw BadRequestException.malformed("requestId is " + req.requestId().length() + " characters long; at most "
                        + MAX_REQUEST_ID + " are accepted");
            }
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
            String trailing = String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")
                    ? "the request is not valid JSON: there is more after the JSON object" : null;
            ex.setProperty(RESULT, ProvisioningResult.badInput(null, 400, trailing != null ? trailing : field == null
                    ? "the request must be a JSON object with string fields, e.g. {\"requestId\": \"r1\", \"operation\": \"grant\", …}"
                    : "field " + field + " must be a string"));
        } catch (JsonProcessingException e) {
            ex.setProperty(RESULT, ProvisioningResult.badInput(null, 400, "the request is not valid JSON: "
                    + quoted(e.getOriginalMessage())));
        } catch (BadRequestException e) {
            ex.setProperty(RESULT, ProvisioningResult.badInput(null, e.httpStatus, e.getMessage()));
        }
    }

    /** A repeated requestId gets the first result (waiting for it if that request is still running). */
    public void replay(Exchange ex) throws Exception {
        String id = request(ex).requestId();
        CompletableFuture<ProvisioningResult> mine = new CompletableFuture<>();
        CompletableFuture<ProvisioningResult> first;
        synchronized (results) {
            first = results.putIfAbsent(id, mine);
        }
        if (first != null && ex.getMessage().getHeader(DEAD_LETTER_REPLAY) != null && first.isDone()
                && first.getNow(null) != null && first.getNow(null).deadLetter()) {
            // a dead letter replayed once its cause was fixed: run it again instead of answering the old failure
            synchronized (results) {
                first = results.replace(id, first, mine) ? null : results.putIfAbsent(id, mine);
            }
        }
        if (first == null) {
            ex.setProperty("provisioningFuture", mine);
            return;
        }
        ex.setProperty(RESULT, first.get(120, TimeUnit.SECONDS));
        ex.setProperty("provisioningReplayed", true);
        meters.counter("seismic.provisioning.replays").increment();
    }

    /** BATON_PROVISIONING not true: every request is refused, and Seismic is never called. */
    public void gate(Exchange ex) {
        if (!enabled) {
            ex.setProperty(RESULT, ProvisioningResult.refused(request(ex).requestId(), 403,
                    "provisioning is not enabled: set BATON_PROVISIONING=true to allow writes to Seismic"));
        }
    }

    /** Checks the fields the operation needs and parses its baton ids into a {@link Target}. */
    public void target(Exchange ex) {
        ProvisioningRequest req = request(ex);
        try {
            ex.setProperty(TARGET, switch (req.operation() == null ? "" : req.operation()) {
                case "grant" -> grantTarget(req);
                case "revoke" -> revokeTarget(req);
                case "createAccount" -> {
                    required(req.login(), "login");
                    required(req.email(), "email");
                    if (!req.email().contains("@")) {
                        throw BadRequestException.malformed("email " + quoted(req.email()) + " is not an email address");
                    }
                    yield new Target(UserResources.CREATE_KIND, UserResources.TYPE, null, null, null, true);
                }
                case "deleteResource" -> {
                    String[] id = split(required(req.resourceId(), "resourceId"), 2, "resourceId", "user:<id>");
                    if (!id[0].equals(UserResources.TYPE)) {
                        throw new BadRequestException(422, "only user resources can be deleted, not " + quoted(id[0]));
                    }
                    yield new Target(UserResources.DELETE_KIND, UserResources.TYPE, seismicId(id[1], "user id"), null,
                            seismicId(id[1], "user id"), false);
                }
                case "" -> throw BadRequestException.malformed("operation is required: grant, revoke, createAccount or deleteResource");
                default -> throw BadRequestException.malformed("unknown operation " + quoted(req.operation())
                        + ": use grant, revoke, createAccount or deleteResource");
            });
        } catch (BadRequestException e) {
            ex.setProperty(RESULT, e.httpStatus == 422 ? ProvisioningResult.refused(req.requestId(), 422, e.getMessage())
                    : ProvisioningResult.badInput(req.requestId(), e.httpStatus, e.getMessage()));
        }
    }

    private Target grantTarget(ProvisioningRequest req) {
        String[] ent = split(required(req.entitlementId(), "entitlementId"), 3, "entitlementId", "group:<id>:member");
        String[] principal = split(required(req.principalId(), "principalId"), 2, "principalId", "user:<id>");
        if (!principal[0].equals(UserResources.TYPE)) {
            throw BadRequestException.malformed("principalId must be a user (user:<id>), not " + quoted(req.principalId()));
        }
        return entitlementTarget(ent, seismicId(principal[1], "user id"), true);
    }

    private Target revokeTarget(ProvisioningRequest req) {
        String grantId = required(req.grantId(), "grantId");
        int at = grantId.lastIndexOf(":user:");
        if (at < 0) {
            throw BadRequestException.malformed("grantId " + quoted(grantId) + " is not a baton grant id (<entitlement id>:user:<id>)");
        }
        String[] ent = split(grantId.substring(0, at), 3, "grantId", "group:<id>:member:user:<id>");
        return entitlementTarget(ent, seismicId(grantId.substring(at + 6), "user id"), false);
    }

    /** The entitlement's resource type says which operation grants or revokes it (ids of its resource checked first). */
    private Target entitlementTarget(String[] ent, String userId, boolean grant) {
        String type = ent[0];
        String slug = ent[2];
        ResourceUnit unit = units.unit(type);
        String kind = unit == null ? null : unit.provisioningKind(slug, grant);
        if (kind == null) {
            throw BadRequestException.malformed("unknown entitlement " + quoted(String.join(":", ent)) + ": expected "
                    + units.entitlementExamples());
        }
        return new Target(kind, type, unit.checkedId(ent[1]), slug, userId, grant);
    }

    // ---- after ----

    /** Turns a failure into the request's result: bad input, Seismic's refusal, or Seismic being unavailable. */
    public void fail(Exchange ex) {
        Throwable e = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // a failure inside a split or multicast (a paged listing) arrives wrapped in Camel's exception
        while ((e instanceof CamelExchangeException || e instanceof RuntimeCamelException) && e.getCause() != null) {
            e = e.getCause();
        }
        ProvisioningRequest req = ex.getProperty(REQUEST, ProvisioningRequest.class);
        String id = req == null ? null : req.requestId();
        ProvisioningResult result;
        if (e instanceof BadRequestException bad) {
            result = ProvisioningResult.badInput(id, bad.httpStatus, bad.getMessage());
        } else if (e instanceof SeismicApiException api && api.status() == 403) {
            result = ProvisioningResult.failed(id, 403, "Seismic refused the write (403): the app lacks the seismic.user.manage "
                    + "scope or the delegated user lacks the permission; " + api.getMessage(), true);
        } else if (e instanceof SeismicApiException api && api.status() >= 400 && api.status() < 500 && api.status() != 429) {
            result = ProvisioningResult.failed(id, 422, "Seismic refused the request: " + api.getMessage(), true);
        } else if (e instanceof SeismicApiException api) {
            result = ProvisioningResult.failed(id, api.status() == 0 || api.status() == 429 || api.status() == 503 ? 503 : 502,
                    "Seismic is unavailable: " + api.getMessage(), false);
        } else if (e instanceof SeismicAuthException auth) {
            result = ProvisioningResult.failed(id, 503, auth.getMessage(), false);
        } else {
            result = ProvisioningResult.failed(id, 502, "provisioning failed: " + (e == null ? "unknown error" : e.getMessage()), false);
        }
        ex.setProperty(RESULT, result);
    }

    /** Records the result (for repeated requestIds, when final), counts it, and makes it the message body. */
    @SuppressWarnings("unchecked")
    public ProvisioningResult finish(Exchange ex) {
        ProvisioningResult result = ex.getProperty(RESULT, ProvisioningResult.class);
        CompletableFuture<ProvisioningResult> mine = ex.getProperty("provisioningFuture", CompletableFuture.class);
        if (mine != null) {
            mine.complete(result);
            if (!result.isFinal()) {
                synchronized (results) {
                    results.remove(result.requestId(), mine);
                }
            }
            ex.removeProperty("provisioningFuture");
        }
        if (!ex.getProperty("provisioningReplayed", false, Boolean.class)) {
            ProvisioningRequest req = ex.getProperty(REQUEST, ProvisioningRequest.class);
            String operation = req == null || req.operation() == null ? "unreadable" : req.operation();
            long start = ex.getProperty("provisioningStart", System.nanoTime(), Long.class);
            Timer.builder("seismic.provisioning").description("Provisioning requests by operation and outcome")
                    .tag("operation", operation).tag("outcome", result.status().name())
                    .register(meters).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            log.info("Provisioning {} {} → {} ({}): {}", operation, result.requestId(), result.status(), result.httpStatus(), result.message());
        }
        return result;
    }

    // ---- helpers ----

    /** The request being carried out (for the operations of each resource type). */
    public static ProvisioningRequest request(Exchange ex) {
        return ex.getProperty(REQUEST, ProvisioningRequest.class);
    }

    /** What the request targets. */
    public static Target targetOf(Exchange ex) {
        return ex.getProperty(TARGET, Target.class);
    }

    /** An operation's result: the request's answer. */
    public static void answer(Exchange ex, ProvisioningResult result) {
        ex.setProperty(RESULT, result);
    }

    private static String required(String value, String field) {
        if (blank(value)) {
            throw BadRequestException.malformed(field + " is required for this operation");
        }
        return value.trim();
    }

    /** Splits a baton id into parts; the middle part may itself contain ':' (role names). */
    private static String[] split(String id, int parts, String field, String example) {
        int first = id.indexOf(':');
        int last = id.lastIndexOf(':');
        if (first <= 0 || (parts == 3 && last == first) || last == id.length() - 1) {
            throw BadRequestException.malformed(field + " " + quoted(id) + " is not a baton id like " + example);
        }
        return parts == 2 ? new String[] {id.substring(0, first), id.substring(first + 1)}
                : new String[] {id.substring(0, first), id.substring(first + 1, last), id.substring(last + 1)};
    }

    /** A Seismic object id as SCIM has them (letters, digits, dashes), else a 400 naming it. */
    public static String seismicId(String id, String what) {
        if (!SEISMIC_ID.matcher(id).matches()) {
            throw BadRequestException.malformed(what + " " + quoted(id) + " is malformed");
        }
        return id;
    }

    /** A caller's value quoted back in a message: in single quotes, cut short when long. */
    static String quoted(String value) {
        return "'" + RestErrors.shorten(value) + "'";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
