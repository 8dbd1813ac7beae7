package dev.batonseismic.c1;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.batonseismic.c1.api.BatonServiceFinishTaskRequest;
import io.grpc.Status;
import java.util.List;

/**
 * How a task ended, as FinishTask reports it (baton-sdk {@code manager.go} {@code finishTask}): success with the
 * operation's response packed in an Any and its annotations, or an error with a gRPC code and message, and whether
 * ConductorOne must not retry it.
 */
public record C1Outcome(boolean success, Message response, List<Any> annotations, Status.Code code, String message,
                        boolean nonRetryable) {

    public static C1Outcome success(Message response, List<Any> annotations, String message) {
        return new C1Outcome(true, response, List.copyOf(annotations), Status.Code.OK, message, false);
    }

    public static C1Outcome error(Status.Code code, String message, boolean nonRetryable) {
        return new C1Outcome(false, null, List.of(), code, message, nonRetryable);
    }

    /** The outcome name for logs, metrics and {@code GET /api/v1/c1}. */
    public String name() {
        return success ? "SUCCEEDED" : code == Status.Code.CANCELLED ? "CANCELLED" : "FAILED";
    }

    BatonServiceFinishTaskRequest finishRequest(String taskId) {
        BatonServiceFinishTaskRequest.Builder finish = BatonServiceFinishTaskRequest.newBuilder().setTaskId(taskId);
        if (success) {
            BatonServiceFinishTaskRequest.Success.Builder ok = BatonServiceFinishTaskRequest.Success.newBuilder().addAllAnnotations(annotations);
            if (response != null) {
                ok.setResponse(Any.pack(response));
            }
            return finish.setSuccess(ok).build();
        }
        return finish.setStatus(com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message == null ? "" : message))
                .setError(BatonServiceFinishTaskRequest.Error.newBuilder().setNonRetryable(nonRetryable).addAllAnnotations(annotations))
                .build();
    }
}
