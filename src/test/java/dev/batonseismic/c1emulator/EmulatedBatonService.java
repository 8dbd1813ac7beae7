package dev.batonseismic.c1emulator;

import dev.batonseismic.c1.api.BatonServiceFinishTaskRequest;
import dev.batonseismic.c1.api.BatonServiceFinishTaskResponse;
import dev.batonseismic.c1.api.BatonServiceGetTaskRequest;
import dev.batonseismic.c1.api.BatonServiceGetTaskResponse;
import dev.batonseismic.c1.api.BatonServiceGrpc;
import dev.batonseismic.c1.api.BatonServiceHeartbeatRequest;
import dev.batonseismic.c1.api.BatonServiceHeartbeatResponse;
import dev.batonseismic.c1.api.BatonServiceHelloRequest;
import dev.batonseismic.c1.api.BatonServiceHelloResponse;
import dev.batonseismic.c1.api.BatonServiceUploadAssetRequest;
import dev.batonseismic.c1.api.BatonServiceUploadAssetResponse;
import dev.batonseismic.c1.api.Task;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** ConductorOne's side of {@code c1.connectorapi.baton.v1.BatonService}: a task queue, heartbeats, uploads, finishes. */
final class EmulatedBatonService extends BatonServiceGrpc.BatonServiceImplBase {
    private final C1EmulatorSettings settings;
    private final C1Records records;
    private final C1Faults faults;
    private final UploadStore uploads;
    private final Queue<Task> queue = new ConcurrentLinkedQueue<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    EmulatedBatonService(C1EmulatorSettings settings, C1Records records, C1Faults faults, Path uploadDirectory) {
        this.settings = settings;
        this.records = records;
        this.faults = faults;
        this.uploads = new UploadStore(uploadDirectory);
    }

    void enqueue(Task task) {
        queue.add(task);
    }

    List<Task> queued() {
        return List.copyOf(queue);
    }

    void cancel(String taskId) {
        cancelled.add(taskId);
    }

    void clear() {
        queue.clear();
        cancelled.clear();
        uploads.deleteAll();
    }

    @Override
    public void hello(BatonServiceHelloRequest request, StreamObserver<BatonServiceHelloResponse> answer) {
        Status.Code fault = faults.claim(C1Faults.Method.HELLO);
        records.hello(new C1Records.HelloCall(Instant.now(), request, fault));
        if (fault != null) {
            answer.onError(injected(fault, "Hello"));
            return;
        }
        answer.onNext(BatonServiceHelloResponse.getDefaultInstance());
        answer.onCompleted();
    }

    @Override
    public void getTask(BatonServiceGetTaskRequest request, StreamObserver<BatonServiceGetTaskResponse> answer) {
        Status.Code fault = faults.claim(C1Faults.Method.GET_TASK);
        if (fault != null) {
            records.getTask(new C1Records.GetTaskCall(Instant.now(), request.getHostId(), null, fault));
            answer.onError(injected(fault, "GetTask"));
            return;
        }
        Task task = queue.poll();
        records.getTask(new C1Records.GetTaskCall(Instant.now(), request.getHostId(), task == null ? null : task.getId(), null));
        BatonServiceGetTaskResponse.Builder response = BatonServiceGetTaskResponse.newBuilder().setNextPoll(proto(settings.nextPoll));
        if (task != null) {
            response.setTask(task).setNextHeartbeat(proto(settings.nextHeartbeat));
        } else if (settings.explicitNoneTask) {
            response.setTask(Task.newBuilder().setNone(Task.NoneTask.getDefaultInstance()));
        }
        answer.onNext(response.build());
        answer.onCompleted();
    }

    @Override
    public void heartbeat(BatonServiceHeartbeatRequest request, StreamObserver<BatonServiceHeartbeatResponse> answer) {
        Status.Code fault = faults.claim(C1Faults.Method.HEARTBEAT);
        boolean cancel = fault == null && cancelled.contains(request.getTaskId());
        records.heartbeat(new C1Records.HeartbeatCall(Instant.now(), request.getHostId(), request.getTaskId(), cancel, fault));
        if (fault != null) {
            answer.onError(injected(fault, "Heartbeat"));
            return;
        }
        answer.onNext(BatonServiceHeartbeatResponse.newBuilder()
                .setNextHeartbeat(proto(settings.nextHeartbeat)).setCancelled(cancel).build());
        answer.onCompleted();
    }

    @Override
    public void finishTask(BatonServiceFinishTaskRequest request, StreamObserver<BatonServiceFinishTaskResponse> answer) {
        Status.Code fault = faults.claim(C1Faults.Method.FINISH_TASK);
        records.finish(new C1Records.FinishCall(Instant.now(), request, fault));
        if (fault != null) {
            answer.onError(injected(fault, "FinishTask"));
            return;
        }
        answer.onNext(BatonServiceFinishTaskResponse.getDefaultInstance());
        answer.onCompleted();
    }

    @Override
    public StreamObserver<BatonServiceUploadAssetRequest> uploadAsset(StreamObserver<BatonServiceUploadAssetResponse> answer) {
        return new UploadReceiver(uploads, records, faults.claimUploadBreak(), answer);
    }

    private static RuntimeException injected(Status.Code code, String method) {
        return Status.fromCode(code).withDescription("injected fault on " + method).asRuntimeException();
    }

    private static com.google.protobuf.Duration proto(Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }
}
