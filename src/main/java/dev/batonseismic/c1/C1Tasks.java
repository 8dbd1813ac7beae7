package dev.batonseismic.c1;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.c1.api.BatonServiceFinishTaskRequest;
import dev.batonseismic.c1.api.BatonServiceGetTaskResponse;
import dev.batonseismic.c1.api.BatonServiceHeartbeatResponse;
import dev.batonseismic.c1.api.Task;
import dev.batonseismic.provisioning.ProvisioningResult;
import dev.batonseismic.resources.ResourceUnits;
import dev.batonseismic.sync.SyncRegistry;
import dev.batonseismic.sync.SyncRequestException;
import dev.batonseismic.sync.SyncRun;
import dev.batonseismic.sync.SyncScope;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The tasks ConductorOne hands out, from GetTask to FinishTask: each is registered when it arrives (heartbeats start
 * then), turned into a sync or a provisioning request, and given the outcome FinishTask reports. The steps of the
 * {@code c1-*} routes; the task travels as exchange property {@value #TASK}. A task id seen again while it runs is
 * ignored (ConductorOne re-sent it); once finished, the provisioning cache answers a repeat without calling Seismic.
 */
@Component("c1Tasks")
public class C1Tasks {
    public static final String TASK = "c1Task";
    /** The task GetTask's route accepted, until it is queued. */
    static final String ACCEPTED = "c1Accepted";
    /** baton-sdk's heartbeat bounds ({@code manager.go}): 30 s by default, clamped to 1 s … 5 min. */
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);
    static final Duration MIN_HEARTBEAT = Duration.ofSeconds(1);
    static final Duration MAX_HEARTBEAT = Duration.ofMinutes(5);
    /** Heartbeats failing in a row before a task is given up (baton-sdk: about ten). */
    static final int MAX_HEARTBEAT_FAILURES = 10;
    static final int HISTORY = 50;
    private static final Logger log = LoggerFactory.getLogger(C1Tasks.class);

    private final C1Connection connection;
    private final C1Client client;
    private final SyncRegistry syncs;
    private final ResourceUnits units;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, C1Task> running = new ConcurrentHashMap<>();
    private final Deque<C1Task> recent = new ArrayDeque<>();

    public C1Tasks(C1Connection connection, C1Client client, SyncRegistry syncs, ResourceUnits units, ObjectMapper json, MeterRegistry meters) {
        this.units = units;
        this.connection = connection;
        this.client = client;
        this.syncs = syncs;
        this.json = json;
        this.meters = meters;
    }

    // ---- arrival ----

    /**
     * GetTask's answer: the next poll is scheduled; a task is registered and becomes the body, with exchange property
     * {@code c1Queue} naming its queue ({@code syncs}: one at a time, or {@code tasks}); no task leaves a null body.
     */
    public C1Task accept(Exchange ex) {
        BatonServiceGetTaskResponse response = ex.getMessage().getBody(BatonServiceGetTaskResponse.class);
        Task task = response.getTask();
        if (!response.hasTask() || task.getTaskTypeCase() == Task.TaskTypeCase.NONE || task.getId().isEmpty()) {
            connection.polled(response, false);
            return null;
        }
        C1Task t = new C1Task(task, clock.instant(), heartbeatInterval(response.hasNextHeartbeat() ? response.getNextHeartbeat() : null));
        if (running.putIfAbsent(t.id(), t) != null) {
            connection.polled(response, false); // a repeat is no new work: the idle pace
            log.info("C1 task {} ({}) is already being carried out: the repeat is ignored", t.id(), t.type());
            return null;
        }
        connection.polled(response, true);
        ex.setProperty(ACCEPTED, t);
        ex.setProperty("c1Queue", t.kind() == C1Task.Kind.SYNC_FULL ? "syncs" : "tasks");
        log.info("C1 task {} ({}) received", t.id(), t.type());
        return t;
    }

    /**
     * A task was accepted but GetTask's route failed before it was queued (the {@code c1-errors} route configuration):
     * it is let go unfinished and without heartbeats, so ConductorOne hands it out again.
     */
    public void dropUnqueued(Exchange ex) {
        C1Task t = ex.getProperty(ACCEPTED, C1Task.class);
        if (t != null && t.startedAt() == null && running.remove(t.id(), t)) {
            log.warn("C1 task {} ({}) could not be queued; ConductorOne will hand it out again", t.id(), t.type());
        }
    }

    /** {@code next_heartbeat} as baton-sdk reads it: none or zero is 30 s, else clamped to 1 s … 5 min. */
    static Duration heartbeatInterval(com.google.protobuf.Duration next) {
        Duration d = next == null ? Duration.ZERO : Duration.ofSeconds(next.getSeconds(), next.getNanos());
        if (d.isZero() || d.isNegative()) {
            return DEFAULT_HEARTBEAT;
        }
        return d.compareTo(MIN_HEARTBEAT) < 0 ? MIN_HEARTBEAT : d.compareTo(MAX_HEARTBEAT) > 0 ? MAX_HEARTBEAT : d;
    }

    /** The task leaves its queue: it is the exchange's {@value #TASK}, and {@code c1TaskKind} names its route. */
    public void start(Exchange ex) {
        C1Task t = ex.getMessage().getBody(C1Task.class);
        t.started(clock.instant());
        ex.setProperty(TASK, t);
        ex.setProperty("c1TaskKind", t.kind().route());
        log.info("C1 task {} ({}) started", t.id(), t.type());
    }

    // ---- sync_full ----

    /**
     * Registers the task's sync (the route runs it next, as exchange property {@code syncRun}): its scope from
     * {@code sync_resource_type_ids}, {@code targeted_sync_resources}, {@code skip_grants} and
     * {@code skip_entitlements_and_grants} (the task's, not local settings: ConductorOne decides what its syncs cover), or
     * a skipped sync under BATON_SKIP_FULL_SYNC, as baton-sdk's full-sync task handler does; its sink the task's upload. An unknown resource type, a running sync or a stopped task become the outcome instead.
     */
    public void beginSync(Exchange ex) {
        C1Task t = task(ex);
        if (stoppedBeforeStart(t)) {
            return;
        }
        Task.SyncFullTask spec = t.task().getSyncFull();
        SyncScope scope;
        try {
            scope = syncs.skipFullSync() ? SyncScope.skip(units.types())
                    : SyncScope.of(spec.getSyncResourceTypeIdsList(), spec.getSkipGrants(), spec.getSkipEntitlementsAndGrants(), units.types())
                            .targeting(units.checked(spec.getTargetedSyncResourcesList().stream()
                                    .map(r -> new SyncScope.Target(r.getId().getResourceType(), r.getId().getResource())).toList()));
        } catch (IllegalArgumentException e) {
            t.outcome(C1Outcome.error(Status.Code.INVALID_ARGUMENT, e.getMessage(), true));
            return;
        }
        try {
            SyncRun run = syncs.begin(scope, "c1 task " + t.id(), new C1TaskSink(t, client, meters));
            ex.setProperty(SyncRegistry.RUN, run);
            t.run(run);
        } catch (SyncRequestException e) {
            t.outcome(C1Outcome.error(Status.Code.UNAVAILABLE, e.getMessage(), false));
        }
    }

    /** The sync ended: success, or an error carrying its reason (a stopped task's reason first). */
    public void syncEnded(Exchange ex) {
        C1Task t = task(ex);
        SyncRun run = t.run();
        if (run.state() == SyncRun.State.SUCCEEDED) {
            t.outcome(C1Outcome.success(null, List.of(), "sync " + run.id() + " uploaded: " + run.counts()));
        } else if (t.stopped()) {
            t.outcome(C1Outcome.error(Status.Code.CANCELLED, "sync " + run.id() + " stopped: " + t.stopReason(), false));
        } else {
            boolean guard = run.refusedByGuard();
            t.outcome(C1Outcome.error(guard ? Status.Code.FAILED_PRECONDITION : Status.Code.UNKNOWN,
                    "sync " + run.id() + " failed: " + run.error(), guard));
        }
    }

    // ---- grant, revoke, create_account, delete_resource ----

    /** The task as a provisioning request (JSON text body); a malformed task becomes its outcome instead. */
    public String provisioningRequest(Exchange ex) {
        C1Task t = task(ex);
        if (stoppedBeforeStart(t)) {
            return null;
        }
        try {
            return json.writeValueAsString(C1TaskRequests.request(t.task(), json));
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            t.outcome(C1Outcome.error(Status.Code.INVALID_ARGUMENT, e.getMessage(), true));
            return null;
        }
    }

    /** The provisioning result as the task's outcome and baton response. */
    public void provisioningEnded(Exchange ex) {
        C1Task t = task(ex);
        t.outcome(C1TaskRequests.outcome(t.task(), ex.getMessage().getBody(ProvisioningResult.class)));
    }

    // ---- other types ----

    public void unsupported(Exchange ex) {
        C1Task t = task(ex);
        t.outcome(C1Outcome.error(Status.Code.UNIMPLEMENTED, "task type " + t.type() + " is not supported by the Seismic connector", true));
    }

    /** A step of a task's route failed unexpectedly (the {@code c1-task-errors} route configuration). */
    public void failed(Exchange ex) {
        C1Task t = task(ex);
        Throwable e = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.warn("C1 task {} ({}) failed: {}", t.id(), t.type(), C1Connection.describe(e));
        if (t.kind() != C1Task.Kind.HELLO) {
            t.outcome(C1Outcome.error(Status.Code.INTERNAL, C1Connection.describe(e), false));
        }
    }

    private boolean stoppedBeforeStart(C1Task t) {
        if (t.stopped()) {
            t.outcome(C1Outcome.error(Status.Code.CANCELLED, "not started: " + t.stopReason(), false));
            return true;
        }
        return false;
    }

    // ---- finish ----

    /**
     * The FinishTask request of the task's outcome, or null when there is nothing to finish (a hello task is only
     * answered with Hello). A stopped task is never finished as a success: it reports what was done as an error.
     */
    public BatonServiceFinishTaskRequest finishRequest(Exchange ex) {
        C1Task t = task(ex);
        C1Outcome o = t.outcome();
        if (o == null) {
            return null;
        }
        if (o.success() && t.stopped()) {
            o = C1Outcome.error(Status.Code.CANCELLED, t.stopReason() + "; the task had completed before it stopped: " + o.message(), false);
            t.outcome(o);
        }
        return o.finishRequest(t.id());
    }

    /** FinishTask went through (or there was none): the task leaves the running set, counted and logged. */
    public void finished(Exchange ex) {
        C1Task t = task(ex);
        end(t);
        C1Outcome o = t.outcome();
        String outcome = o == null ? "ANSWERED" : o.name();
        Timer.builder("c1.tasks").description("ConductorOne tasks by type and outcome")
                .tag("type", t.type()).tag("outcome", outcome)
                .register(meters).record(Duration.between(t.receivedAt(), t.endedAt()));
        log.info("C1 task {} ({}) {} in {} ms{}", t.id(), t.type(), outcome, Duration.between(t.receivedAt(), t.endedAt()).toMillis(),
                o == null || o.message() == null ? "" : ": " + o.message());
    }

    /**
     * Whether a failed FinishTask is tried again (the {@code c1-finish-errors} route configuration): while ConductorOne
     * may answer later (unreachable, busy), at most {@code c1.finish-retries} times; a refusal (the task is no longer
     * this connector's, say) is final.
     */
    public boolean retryFinish(Exchange ex) {
        Throwable e = ex.getException() != null ? ex.getException() : ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int redelivered = ex.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        return redelivered < client.settings().finishRetries() && (!(e instanceof io.grpc.StatusRuntimeException s)
                || C1Client.retryable(s.getStatus().getCode()));
    }

    /**
     * FinishTask failed for good: ConductorOne hands the task out again when it stays unfinished (the provisioning
     * cache keeps Seismic from a second write), or has already given it to someone else.
     */
    public void finishFailed(Exchange ex) {
        C1Task t = task(ex);
        Throwable e = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        t.finishError(C1Connection.describe(e));
        end(t);
        meters.counter("c1.finish.errors").increment();
        log.error("C1 task {} ({}): FinishTask failed: {}", t.id(), t.type(), t.finishError());
    }

    private void end(C1Task t) {
        t.ended(clock.instant());
        running.remove(t.id(), t);
        synchronized (recent) {
            recent.addFirst(t);
            while (recent.size() > HISTORY) {
                recent.removeLast();
            }
        }
    }

    // ---- heartbeats ----

    /** The running tasks whose heartbeat is due. */
    public List<C1Task> heartbeatsDue() {
        Instant now = clock.instant();
        return running.values().stream().filter(t -> t.endedAt() == null && !now.isBefore(t.nextHeartbeat())).toList();
    }

    /** A heartbeat was answered: the next one after {@code next_heartbeat}; {@code cancelled} stops the task. */
    public void heartbeatAnswered(Exchange ex) {
        C1Task t = ex.getProperty(TASK, C1Task.class);
        BatonServiceHeartbeatResponse r = ex.getMessage().getBody(BatonServiceHeartbeatResponse.class);
        t.heartbeatAnswered(clock.instant(), heartbeatInterval(r.hasNextHeartbeat() ? r.getNextHeartbeat() : null));
        if (r.getCancelled() && !t.stopped()) {
            t.stop("ConductorOne cancelled task " + t.id());
            log.warn("C1 task {} ({}) cancelled by ConductorOne: stopping it", t.id(), t.type());
        }
    }

    /** A heartbeat failed: tried again at the next interval; after {@value #MAX_HEARTBEAT_FAILURES} in a row the task is given up. */
    public void heartbeatFailed(Exchange ex) {
        C1Task t = ex.getProperty(TASK, C1Task.class);
        Throwable e = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int n = t.heartbeatFailed(clock.instant());
        meters.counter("c1.heartbeat.errors").increment();
        log.warn("C1 task {} ({}): heartbeat failed ({} in a row): {}", t.id(), t.type(), n, C1Connection.describe(e));
        if (n >= MAX_HEARTBEAT_FAILURES && !t.stopped()) {
            t.stop("heartbeats failed " + n + " times in a row; ConductorOne may have handed the task to another connector");
        }
    }

    // ---- views ----

    /** What {@code GET /api/v1/c1} shows: the connection, the running tasks and the last ones with their outcomes. */
    public Map<String, Object> view() {
        Map<String, Object> v = connection.view();
        List<Map<String, Object>> now = new ArrayList<>();
        running.values().stream().sorted((a, b) -> a.receivedAt().compareTo(b.receivedAt())).forEach(t -> now.add(view(t)));
        v.put("running", now);
        List<Map<String, Object>> last = new ArrayList<>();
        synchronized (recent) {
            recent.forEach(t -> last.add(view(t)));
        }
        v.put("recent", last);
        return v;
    }

    private static Map<String, Object> view(C1Task t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", t.id());
        v.put("type", t.type());
        C1Outcome o = t.outcome();
        v.put("state", t.endedAt() == null ? (t.startedAt() == null ? "QUEUED" : "RUNNING")
                : t.finishError() != null ? "FINISH_FAILED" : o == null ? "ANSWERED" : o.name());
        v.put("receivedAt", t.receivedAt().toString());
        v.put("startedAt", t.startedAt() == null ? null : t.startedAt().toString());
        v.put("endedAt", t.endedAt() == null ? null : t.endedAt().toString());
        v.put("heartbeats", t.heartbeats());
        v.put("syncId", t.run() == null ? null : t.run().id());
        v.put("message", o == null ? t.stopReason() : o.message());
        if (o != null && !o.success()) {
            v.put("code", o.code().name());
            v.put("nonRetryable", o.nonRetryable());
        }
        v.put("finishError", t.finishError());
        return v;
    }

    private static C1Task task(Exchange ex) {
        return ex.getProperty(TASK, C1Task.class);
    }
}
