package dev.batonseismic.c1;

import com.google.protobuf.Duration;
import dev.batonseismic.c1.api.BatonServiceGetTaskResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The connection to ConductorOne and the pace of its loops, which tick twice a second: every replica says Hello until
 * C1 answers ({@code c1-connect}; readiness waits for it), then the leader asks for tasks ({@code c1-poll}) whenever
 * {@code next_poll} (at most 5 minutes; at least a second while no task comes) has passed. After a failure
 * the next attempt waits a growing, jittered backoff (1 s doubling, up to {@code c1.max-backoff}); the connector keeps
 * serving its REST API and Hawtio meanwhile and never exits. Its state is what {@code GET /api/v1/c1} and readiness
 * show.
 */
@Component("c1Connection")
public class C1Connection {
    public enum State { OFF, CONNECTING, CONNECTED, CREDENTIALS_REJECTED, UNREACHABLE }

    /** The exchange property naming the call a failure belongs to: {@code hello} or {@code get-task}. */
    public static final String STEP = "c1Step";
    static final java.time.Duration MAX_POLL = java.time.Duration.ofMinutes(5);
    static final java.time.Duration MIN_IDLE_POLL = java.time.Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(C1Connection.class);

    private final C1Settings settings;
    private final MeterRegistry meters;
    private final Clock clock;
    private volatile State state;
    private volatile boolean helloDone;
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile Instant lastHello;
    private volatile Instant lastPoll;
    private volatile Instant pollStarted;
    private volatile Instant lastFailureAt;
    private volatile String lastError;
    private volatile int failures;

    @Autowired
    public C1Connection(C1Settings settings, MeterRegistry meters) {
        this(settings, meters, Clock.systemUTC());
    }

    C1Connection(C1Settings settings, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
        this.state = settings.enabled() ? State.CONNECTING : State.OFF;
        Gauge.builder("c1.connected", this, c -> c.state == State.CONNECTED ? 1 : 0)
                .description("1 while ConductorOne accepts the connector (Hello answered, the last call succeeded)").register(meters);
    }

    /**
     * Whether this replica should say Hello now ({@code c1-connect}, on every replica): until C1 has answered one, once
     * the backoff after a failure has passed. Sets the exchange property {@value #STEP} for the error handler.
     */
    public boolean helloDue(Exchange ex) {
        ex.setProperty(STEP, "hello");
        return !helloDone && !clock.instant().isBefore(nextAttempt);
    }

    /**
     * Whether the leader should ask for a task now ({@code c1-poll}): after Hello, once {@code next_poll} (or the
     * backoff after a failure) has passed.
     */
    public boolean pollDue(Exchange ex) {
        ex.setProperty(STEP, "get-task");
        Instant now = clock.instant();
        if (!helloDone || now.isBefore(nextAttempt)) {
            return false;
        }
        pollStarted = now;
        return true;
    }

    /** Hello was answered: connected, and the first GetTask goes out at the next tick. */
    public void helloAccepted() {
        helloDone = true;
        lastHello = clock.instant();
        connected();
        log.info("ConductorOne accepted Hello from host {} ({})", settings.hostId(), settings.apiAddress());
    }

    /**
     * GetTask was answered: the next one {@code next_poll} after this one was sent (at most 5 minutes); at least a
     * second later when no task came, so an idle connector never asks more than once a second.
     */
    public void polled(BatonServiceGetTaskResponse response, boolean taskCame) {
        lastPoll = clock.instant();
        connected();
        java.time.Duration wait = clamp(response.hasNextPoll() ? response.getNextPoll() : null, java.time.Duration.ZERO, MAX_POLL);
        if (!taskCame && wait.compareTo(MIN_IDLE_POLL) < 0) {
            wait = MIN_IDLE_POLL;
        }
        Instant sent = pollStarted == null ? lastPoll : pollStarted;
        nextAttempt = sent.plus(wait);
    }

    private void connected() {
        if (state != State.CONNECTED && failures > 0) {
            log.info("ConductorOne reachable again after {} failed attempts", failures);
        }
        failures = 0;
        state = State.CONNECTED;
    }

    /**
     * Hello or GetTask failed (the {@code c1-errors} route configuration calls this): the state says why, and the next
     * attempt waits 1 s, 2 s, 4 s … up to {@code c1.max-backoff}, each ±20 %.
     */
    public void failed(Exchange ex) {
        Throwable e = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String step = ex.getProperty(STEP, "call", String.class);
        int n = ++failures;
        state = rejected(e) ? State.CREDENTIALS_REJECTED : State.UNREACHABLE;
        lastError = step + ": " + describe(e);
        lastFailureAt = clock.instant();
        long base = Math.min(settings.maxBackoff().toMillis(), 1000L << Math.min(n - 1, 20));
        long wait = (long) (base * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
        nextAttempt = lastFailureAt.plusMillis(Math.min(wait, settings.maxBackoff().toMillis()));
        meters.counter("c1.poll.errors", "step", step, "reason", reason(e)).increment();
        String message = "ConductorOne {} failed ({} in a row, next attempt in {} s): {}";
        if (n == 1 || n % 10 == 0 || state == State.CREDENTIALS_REJECTED) {
            log.warn(message, step, n, wait / 1000, lastError);
        } else {
            log.debug(message, step, n, wait / 1000, lastError);
        }
    }

    static boolean rejected(Throwable e) {
        if (e instanceof C1Exception c1) {
            return c1.rejected();
        }
        return e instanceof StatusRuntimeException s && (s.getStatus().getCode() == Status.Code.UNAUTHENTICATED
                || s.getStatus().getCode() == Status.Code.PERMISSION_DENIED);
    }

    private static String reason(Throwable e) {
        if (e instanceof C1Exception c1) {
            return c1.rejected() ? "credentials_rejected" : "token_unreachable";
        }
        return e instanceof StatusRuntimeException s ? s.getStatus().getCode().name().toLowerCase(java.util.Locale.ROOT) : "error";
    }

    static String describe(Throwable e) {
        if (e == null) {
            return "unknown failure";
        }
        if (e instanceof StatusRuntimeException s) {
            String d = s.getStatus().getDescription();
            Throwable cause = s.getCause();
            return s.getStatus().getCode() + (d == null ? "" : ": " + d) + (cause == null ? "" : " (" + C1TokenSource.describe(cause) + ")");
        }
        return e instanceof C1Exception ? e.getMessage() : C1TokenSource.describe(e);
    }

    /** A protobuf duration clamped to [min, max]; none or negative is min. */
    static java.time.Duration clamp(Duration d, java.time.Duration min, java.time.Duration max) {
        if (d == null) {
            return min;
        }
        java.time.Duration v = java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
        return v.compareTo(min) < 0 ? min : v.compareTo(max) > 0 ? max : v;
    }

    public State state() {
        return state;
    }

    public boolean helloDone() {
        return helloDone;
    }

    /** What {@code GET /api/v1/c1} shows of the connection. */
    public Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("enabled", settings.enabled());
        v.put("state", state.name());
        if (settings.enabled()) {
            v.put("hostId", settings.hostId());
            v.put("apiHost", settings.apiAddress() == null ? null : settings.apiAddress().toString());
            v.put("clientName", settings.credentials() == null ? null : settings.credentials().clientName());
        }
        v.put("lastHello", text(lastHello));
        v.put("lastPoll", text(lastPoll));
        v.put("consecutiveFailures", failures);
        v.put("lastError", lastError);
        v.put("lastErrorAt", text(lastFailureAt));
        v.put("nextAttempt", nextAttempt.equals(Instant.MIN) ? null : nextAttempt.toString());
        return v;
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    /** Why readiness is down, or null when ConductorOne has accepted the connector. */
    public String notReadyReason() {
        return switch (state) {
            case OFF, CONNECTED -> null;
            case CONNECTING -> "connecting to ConductorOne (" + settings.apiAddress() + "): no Hello answered yet";
            case CREDENTIALS_REJECTED -> "ConductorOne rejected the credentials: " + lastError;
            case UNREACHABLE -> helloDone ? null : "ConductorOne unreachable: " + lastError;
        };
    }
}
