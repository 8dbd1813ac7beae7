package dev.batonseismic.c1emulator;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.batonseismic.c1.api.BatonServiceFinishTaskRequest;
import dev.batonseismic.c1.api.BatonServiceHelloRequest;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Everything the emulator was asked, in arrival order, so tests can assert exact counts. Thread-safe. */
public final class C1Records {
    /** One {@code POST /auth/v1/token}: 200 with no error, or the status and OAuth error it was answered with. */
    public record TokenRequest(Instant at, String clientId, int status, String error, String description) {
        public boolean issued() {
            return status == 200;
        }
    }

    /** One gRPC call as it ended: the bare method name ({@code GetTask}), user agent, authority and status code. */
    public record GrpcCall(Instant at, String method, String userAgent, String authority, Status.Code code) {}

    /** One TLS connection to the front: the ALPN protocol picked and TLS version, or why the handshake failed. */
    public record TlsConnection(Instant at, String protocol, String tlsVersion, String failure) {}

    /** One Hello; {@code fault} is the injected error it was answered with, null when it was answered normally. */
    public record HelloCall(Instant at, BatonServiceHelloRequest request, Status.Code fault) {}

    /** One GetTask; {@code taskId} is the task handed out, null when none (or a fault) was. */
    public record GetTaskCall(Instant at, String hostId, String taskId, Status.Code fault) {}

    /** One Heartbeat and whether it told the connector the task was cancelled. */
    public record HeartbeatCall(Instant at, String hostId, String taskId, boolean cancelled, Status.Code fault) {}

    /**
     * One UploadAsset stream: the size of each data chunk received, and either the file it was stored in
     * ({@code file}, when it completed with a matching checksum) or why it was refused or broke off ({@code failure}).
     */
    public record UploadAttempt(Instant at, String hostId, String taskId, List<Integer> chunkSizes, long bytes, Path file,
                                String failure) {
        public boolean completed() {
            return file != null;
        }
    }

    /** One FinishTask as sent; {@code fault} is the injected error it was answered with, null when it was accepted. */
    public record FinishCall(Instant at, BatonServiceFinishTaskRequest request, Status.Code fault) {
        public String taskId() {
            return request.getTaskId();
        }

        public boolean succeeded() {
            return request.hasSuccess();
        }

        /** The gRPC code the connector reported in {@code status} (0, OK, for a success). */
        public Status.Code code() {
            return Status.fromCodeValue(request.getStatus().getCode()).getCode();
        }

        public String message() {
            return request.getStatus().getMessage();
        }

        public boolean nonRetryable() {
            return request.hasError() && request.getError().getNonRetryable();
        }

        /** The success (or error) response unpacked as the given message type. */
        public <T extends Message> T response(Class<T> type) {
            var any = request.hasSuccess() ? request.getSuccess().getResponse() : request.getError().getResponse();
            try {
                return any.unpack(type);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the FinishTask response of " + taskId() + " is a " + any.getTypeUrl()
                        + ", not a " + type.getName(), e);
            }
        }
    }

    private final List<TokenRequest> tokenRequests = new ArrayList<>();
    private final List<GrpcCall> calls = new ArrayList<>();
    private final List<TlsConnection> tlsConnections = new ArrayList<>();
    private final List<HelloCall> hellos = new ArrayList<>();
    private final List<GetTaskCall> getTaskCalls = new ArrayList<>();
    private final List<HeartbeatCall> heartbeats = new ArrayList<>();
    private final List<UploadAttempt> uploadAttempts = new ArrayList<>();
    private final List<FinishCall> finishes = new ArrayList<>();
    private final Map<String, CompletableFuture<FinishCall>> accepted = new ConcurrentHashMap<>();

    void tokenRequest(TokenRequest r) {
        add(tokenRequests, r);
    }

    void call(GrpcCall c) {
        add(calls, c);
    }

    void tlsConnection(TlsConnection c) {
        add(tlsConnections, c);
    }

    void hello(HelloCall h) {
        add(hellos, h);
    }

    void getTask(GetTaskCall g) {
        add(getTaskCalls, g);
    }

    void heartbeat(HeartbeatCall h) {
        add(heartbeats, h);
    }

    void uploadAttempt(UploadAttempt u) {
        add(uploadAttempts, u);
    }

    void finish(FinishCall f) {
        add(finishes, f);
        if (f.fault() == null) {
            accepted.computeIfAbsent(f.taskId(), id -> new CompletableFuture<>()).complete(f);
        }
    }

    public List<TokenRequest> tokenRequests() {
        return copy(tokenRequests, x -> true);
    }

    public List<GrpcCall> calls() {
        return copy(calls, x -> true);
    }

    public List<TlsConnection> tlsConnections() {
        return copy(tlsConnections, x -> true);
    }

    public List<HelloCall> hellos() {
        return copy(hellos, x -> true);
    }

    public List<GetTaskCall> getTaskCalls() {
        return copy(getTaskCalls, x -> true);
    }

    public List<HeartbeatCall> heartbeats(String taskId) {
        return copy(heartbeats, h -> h.taskId().equals(taskId));
    }

    public List<UploadAttempt> uploadAttempts(String taskId) {
        return copy(uploadAttempts, u -> u.taskId().equals(taskId));
    }

    public List<UploadAttempt> allUploadAttempts() {
        return copy(uploadAttempts, x -> true);
    }

    public List<FinishCall> finishes(String taskId) {
        return copy(finishes, f -> f.taskId().equals(taskId));
    }

    /** The first accepted FinishTask of the task, waiting up to {@code timeout} for it; AssertionError when none came. */
    public FinishCall awaitFinish(String taskId, Duration timeout) {
        CompletableFuture<FinishCall> f = accepted.computeIfAbsent(taskId, id -> new CompletableFuture<>());
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("task " + taskId + " was not finished within " + timeout + "; handed out: "
                    + getTaskCalls().stream().filter(g -> taskId.equals(g.taskId())).count() + ", heartbeats: "
                    + heartbeats(taskId).size() + ", uploads: " + uploadAttempts(taskId).size()
                    + ", FinishTask calls (faulted): " + finishes(taskId).size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for task " + taskId, e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** Forgets everything; a waiting {@link #awaitFinish} keeps waiting for a finish recorded from now on. */
    void clear() {
        for (List<?> list : List.of(tokenRequests, calls, tlsConnections, hellos, getTaskCalls, heartbeats, uploadAttempts, finishes)) {
            synchronized (list) {
                list.clear();
            }
        }
        accepted.values().removeIf(CompletableFuture::isDone);
    }

    private static <T> void add(List<T> list, T item) {
        synchronized (list) {
            list.add(item);
        }
    }

    private static <T> List<T> copy(List<T> list, Predicate<T> keep) {
        synchronized (list) {
            return list.stream().filter(keep).toList();
        }
    }
}
