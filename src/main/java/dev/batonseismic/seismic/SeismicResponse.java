package dev.batonseismic.seismic;

import dev.batonseismic.config.SeismicProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.http.HttpMethods;
import org.springframework.stereotype.Component;

/**
 * Decides what a Seismic answer means for the call loop of {@code seismic-api-call}: done, retry now (a 401 with a
 * token we just replaced), retry after a backoff (5xx, broken connection), retry after the wait a 429 names, or
 * fail with a sentence that says what Seismic refused. A GET answered 2xx whose body is not one complete JSON document
 * (cut short, a proxy's HTML page) is retried like a 5xx.
 * <p>
 * Exchange properties read: {@code seismicAttempt}, {@code seismicAccept} (statuses the caller handles itself, e.g.
 * "403,404"), {@code seismicIoError}. Written: {@code seismicDone}, {@code seismicStatus}, {@code seismicBackoffMs}.
 */
@Component("seismicResponse")
public class SeismicResponse {
    static final Pattern TRY_AGAIN = Pattern.compile("Try again in (\\d+) second");
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int MAX_RATE_LIMITED = 30;
    /** The exchange property holding the parsed body of a successful GET. */
    public static final String JSON = "seismicJson";
    /**
     * Optional exchange property: the only fields of each SCIM {@code Resources} record to keep in {@value #JSON}
     * (comma-separated, e.g. "id"); the rest of the body is still read through, so a broken body is still noticed.
     */
    public static final String RESOURCE_FIELDS = "seismicResourceFields";

    private final SeismicToken token;
    private final RateBudget budget;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, ResourceFields> resourceFields = new ConcurrentHashMap<>();

    private final MeterRegistry meters;

    public SeismicResponse(SeismicToken token, RateBudget budget, MeterRegistry meters,
                           SeismicProperties seismic) {
        int maxAttempts = seismic.retry().maxAttempts();
        Duration initialBackoff = seismic.retry().initialBackoff();
        this.meters = meters;
        this.token = token;
        this.budget = budget;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
    }

    public void classify(Exchange ex) {
        int attempt = ex.getProperty("seismicAttempt", 0, Integer.class) + 1;
        ex.setProperty("seismicAttempt", attempt);
        ex.setProperty("seismicBackoffMs", 0L);
        String ioError = ex.getProperty("seismicIoError", String.class);
        ex.removeProperty("seismicIoError");
        int status = ioError != null ? 0 : ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        SeismicCallListener listener = ex.getProperty(SeismicCallListener.PROPERTY, SeismicCallListener.class);
        if (listener != null) {
            listener.callMade();
        }
        Integer remaining = ex.getMessage().getHeader("X-Seismic-Remaining-Calls", Integer.class);
        if (remaining != null) {
            budget.observeRemaining(remaining);
        }
        ex.setProperty("seismicStatus", status);
        meters.counter("seismic.api.calls", "status", status == 0 ? "io-error" : (status / 100) + "xx").increment();
        if (status == 429) {
            meters.counter("seismic.api.rate.limited").increment();
        }
        String method = ex.getProperty("seismicMethod", "GET", String.class);
        String call = method + " " + ex.getProperty("seismicPath", String.class);
        boolean ok = status >= 200 && status < 300;
        String badBody = ok && "GET".equals(method) ? parseJson(ex) : null;
        if ((ok && badBody == null) || accepted(ex, status)) {
            ex.setProperty("seismicDone", true);
            return;
        }
        if (status == 401) {
            if (ex.getProperty("seismicTokenRenewed", false, Boolean.class)) {
                throw new SeismicAuthException("Seismic refused a freshly issued token for " + call + " (401)");
            }
            ex.setProperty("seismicTokenRenewed", true);
            token.invalidate(ex.getMessage().getHeader("Authorization", String.class));
            return;
        }
        if (status == 429) {
            if (listener != null) {
                listener.rateLimited();
            }
            int limited = ex.getProperty("seismicRateLimited", 0, Integer.class) + 1;
            ex.setProperty("seismicRateLimited", limited);
            ex.setProperty("seismicAttempt", attempt - 1); // waiting our turn is not a failed attempt
            if (limited > MAX_RATE_LIMITED) {
                throw new SeismicApiException(429, "Seismic kept answering 429 (rate limited) for " + call + " after " + limited + " waits");
            }
            budget.pauseFor(retryAfter(ex));
            return;
        }
        if (badBody != null || status == 0 || status >= 500) {
            if (attempt >= maxAttempts) {
                throw new SeismicApiException(status, "Seismic failed " + call + " " + maxAttempts + " times; last: "
                        + (badBody != null ? "HTTP " + status + " with " + badBody : status == 0 ? ioError : "HTTP " + status + describe(ex)));
            }
            long backoff = Math.min(MAX_BACKOFF.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
            ex.setProperty("seismicBackoffMs", backoff);
            return;
        }
        throw new SeismicApiException(status, "Seismic answered HTTP " + status + " to " + call + describe(ex));
    }

    /**
     * Parses the body of a successful GET once, into the exchange property {@value #JSON} for the reader that comes
     * next (only the {@value #RESOURCE_FIELDS} of its SCIM records where that is set), and says why it is not one
     * complete JSON document (cut short, an HTML page from a proxy, empty), or null when it is. A GET is safe to
     * repeat, so such an answer is retried like a 5xx. The body stays as bytes.
     */
    private String parseJson(Exchange ex) {
        ex.removeProperty(JSON);
        byte[] body = ex.getMessage().getBody(byte[].class);
        ex.getMessage().setBody(body);
        if (body == null || body.length == 0) {
            return "an empty body instead of JSON";
        }
        String fields = ex.getProperty(RESOURCE_FIELDS, String.class);
        try (JsonParser parser = json.getFactory().createParser(body)) {
            if (parser.nextToken() == null) {
                return "an empty body instead of JSON";
            }
            JsonNode tree = fields == null || fields.isBlank() ? json.readTree(parser) : resourceFields.computeIfAbsent(fields, ResourceFields::new).read(json, parser);
            if (parser.nextToken() != null) {
                return "a body that is not one JSON document";
            }
            ex.setProperty(JSON, tree);
            return null;
        } catch (JsonProcessingException e) {
            return "a body that is not valid JSON (" + e.getOriginalMessage() + ")";
        } catch (java.io.IOException e) {
            return "a body that could not be read (" + e.getMessage() + ")";
        }
    }

    /**
     * The body of a successful GET as parsed by {@link #classify}, taken off the exchange (which is copied to every
     * page and group of a sync, and need not carry it further); null when the call was not such a GET.
     */
    public static JsonNode takeJson(Exchange ex) {
        return ex.removeProperty(JSON) instanceof JsonNode parsed ? parsed : null;
    }

    /** Sets {@code CamelHttpMethod} to the call's {@code seismicMethod} as the HTTP component's own type: no conversion per call. */
    public void setHttpMethod(@ExchangeProperty("seismicMethod") String method, Exchange ex) {
        ex.getMessage().setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method));
    }

    /** The wait a 429 asks for: "Try again in N seconds" in the body, else Retry-After, else one second. */
    Duration retryAfter(Exchange ex) {
        String body = ex.getMessage().getBody(String.class);
        if (body != null) {
            Matcher m = TRY_AGAIN.matcher(body);
            if (m.find()) {
                return Duration.ofSeconds(Long.parseLong(m.group(1)));
            }
        }
        String header = ex.getMessage().getHeader("Retry-After", String.class);
        if (header != null && header.trim().matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        }
        return Duration.ofSeconds(1);
    }

    private static boolean accepted(Exchange ex, int status) {
        String accept = ex.getProperty("seismicAccept", String.class);
        return accept != null && Arrays.stream(accept.split(",")).map(String::trim).anyMatch(s -> s.equals(String.valueOf(status)));
    }

    /** ": <Seismic's own message>" from a SCIM error ({@code detail}) or generic ({@code message}) body. */
    private String describe(Exchange ex) {
        try {
            String body = ex.getMessage().getBody(String.class);
            JsonNode n = json.readTree(body == null ? "" : body);
            if (n != null && n.hasNonNull("detail")) {
                return ": " + n.get("detail").asText();
            }
            if (n != null && n.hasNonNull("message")) {
                return ": " + n.get("message").asText();
            }
        } catch (Exception e) {
            // not JSON: no detail to add
        }
        return "";
    }
}
