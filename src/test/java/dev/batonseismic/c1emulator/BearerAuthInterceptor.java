package dev.batonseismic.c1emulator;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a call through only with {@code authorization: Bearer <token>} naming an issued, unrevoked, unexpired token
 * (UNAUTHENTICATED otherwise), and records every call with its method, user agent and final status.
 */
final class BearerAuthInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> USER_AGENT = Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);

    private final IssuedTokens tokens;
    private final C1Records records;

    BearerAuthInterceptor(IssuedTokens tokens, C1Records records) {
        this.tokens = tokens;
        this.records = records;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Instant at = Instant.now();
        RecordingCall<Q, A> recording = new RecordingCall<>(call, at, headers.get(USER_AGENT));
        String refusal = refusal(headers.get(AUTHORIZATION), at);
        if (refusal != null) {
            recording.close(Status.UNAUTHENTICATED.withDescription(refusal), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return new SimpleForwardingServerCallListener<>(next.startCall(recording, headers)) {
            @Override
            public void onCancel() {
                recording.record(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    /** A call that records itself once, when it is closed or cancelled. */
    private final class RecordingCall<Q, A> extends SimpleForwardingServerCall<Q, A> {
        private final Instant at;
        private final String userAgent;
        private final AtomicBoolean recorded = new AtomicBoolean();

        RecordingCall(ServerCall<Q, A> call, Instant at, String userAgent) {
            super(call);
            this.at = at;
            this.userAgent = userAgent;
        }

        void record(Status.Code code) {
            if (recorded.compareAndSet(false, true)) {
                records.call(new C1Records.GrpcCall(at, getMethodDescriptor().getBareMethodName(), userAgent, getAuthority(), code));
            }
        }

        @Override
        public void close(Status status, Metadata trailers) {
            record(status.getCode());
            super.close(status, trailers);
        }
    }

    private String refusal(String authorization, Instant now) {
        if (authorization == null) {
            return "no authorization metadata";
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "authorization is not a Bearer token";
        }
        return switch (tokens.check(authorization.substring(7).trim(), now)) {
            case VALID -> null;
            case UNKNOWN -> "unknown access token";
            case REVOKED -> "the access token was revoked";
            case EXPIRED -> "the access token expired";
        };
    }
}
