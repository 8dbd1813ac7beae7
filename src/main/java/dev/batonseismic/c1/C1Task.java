package dev.batonseismic.c1;

import dev.batonseismic.c1.api.Task;
import dev.batonseismic.sync.SyncRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** One task from ConductorOne while the connector has it: what it is, its heartbeat schedule, and how it ended. */
public final class C1Task {
    /** The routes a task goes to ({@code direct:c1-task-<kind>}). */
    public enum Kind {
        SYNC_FULL("sync-full"), PROVISIONING("provisioning"), HELLO("hello"), UNSUPPORTED("unsupported");

        private final String route;

        Kind(String route) {
            this.route = route;
        }

        public String route() {
            return route;
        }
    }

    private final Task task;
    private final String type;
    private final Kind kind;
    private final Instant receivedAt;
    private volatile Instant startedAt;
    private volatile Instant endedAt;
    private volatile Instant nextHeartbeat;
    private volatile Duration heartbeatInterval;
    private volatile int heartbeats;
    private volatile int heartbeatFailures;
    private volatile String stopReason;
    private volatile SyncRun run;
    private volatile C1Outcome outcome;
    private volatile String finishError;

    C1Task(Task task, Instant receivedAt, Duration heartbeatInterval) {
        this.task = task;
        this.type = typeOf(task);
        this.kind = switch (task.getTaskTypeCase()) {
            case SYNC_FULL -> Kind.SYNC_FULL;
            case GRANT, REVOKE, CREATE_ACCOUNT, DELETE_RESOURCE -> Kind.PROVISIONING;
            case HELLO -> Kind.HELLO;
            default -> Kind.UNSUPPORTED;
        };
        this.receivedAt = receivedAt;
        this.heartbeatInterval = heartbeatInterval;
        this.nextHeartbeat = receivedAt.plus(heartbeatInterval);
    }

    /** A task's type as baton names it ({@code sync_full}, {@code grant}, …), or {@code field <n>} for one this version does not know. */
    static String typeOf(Task task) {
        if (task.getTaskTypeCase() != Task.TaskTypeCase.TASKTYPE_NOT_SET) {
            return task.getTaskTypeCase().name().toLowerCase(Locale.ROOT);
        }
        return task.getUnknownFields().asMap().keySet().stream().filter(n -> n >= 100).findFirst()
                .map(n -> "field " + n).orElse("none");
    }

    public String id() {
        return task.getId();
    }

    public Task task() {
        return task;
    }

    public String type() {
        return type;
    }

    public Kind kind() {
        return kind;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    void started(Instant at) {
        startedAt = at;
    }

    void ended(Instant at) {
        endedAt = at;
    }

    Instant nextHeartbeat() {
        return nextHeartbeat;
    }

    void heartbeatAnswered(Instant at, Duration interval) {
        heartbeats++;
        heartbeatFailures = 0;
        heartbeatInterval = interval;
        nextHeartbeat = at.plus(interval);
    }

    int heartbeatFailed(Instant at) {
        nextHeartbeat = at.plus(heartbeatInterval);
        return ++heartbeatFailures;
    }

    public int heartbeats() {
        return heartbeats;
    }

    /** Stops the task: a sync stops at its next page and before it commits; nothing is finished as a success. */
    void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
            SyncRun r = run;
            if (r != null) {
                r.stop(reason);
            }
        }
    }

    public String stopReason() {
        return stopReason;
    }

    public boolean stopped() {
        return stopReason != null;
    }

    void run(SyncRun r) {
        run = r;
        if (stopReason != null) {
            r.stop(stopReason);
        }
    }

    public SyncRun run() {
        return run;
    }

    public C1Outcome outcome() {
        return outcome;
    }

    void outcome(C1Outcome o) {
        outcome = o;
    }

    String finishError() {
        return finishError;
    }

    void finishError(String e) {
        finishError = e;
    }
}
