package dev.batonseismic.c1;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.batonseismic.c1.api.BatonServiceFinishTaskRequest;
import dev.batonseismic.c1.api.BatonServiceGetTaskRequest;
import dev.batonseismic.c1.api.BatonServiceGetTaskResponse;
import dev.batonseismic.c1.api.BatonServiceGrpc;
import dev.batonseismic.c1.api.BatonServiceHeartbeatRequest;
import dev.batonseismic.c1.api.BatonServiceHeartbeatResponse;
import dev.batonseismic.c1.api.BatonServiceHelloRequest;
import dev.batonseismic.c1.api.BatonServiceUploadAssetRequest;
import dev.batonseismic.c1.api.BatonServiceUploadAssetResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The gRPC side of service mode: ConductorOne's {@code c1.connectorapi.baton.v1.BatonService} over TLS, every call
 * with {@code host_id}, a deadline ({@code c1.call-timeout}) and {@code authorization: <token>}. A call answered
 * UNAUTHENTICATED gets a new token and is tried once more; other failures go to the caller (the routes back off).
 * One channel, set up on first use (never when service mode is off), reconnecting by itself.
 */
@Component("c1Client")
public class C1Client {
    /** baton-sdk's upload chunk ({@code service_client.go} {@code fileChunkSize}). */
    public static final int CHUNK_BYTES = 512 * 1024;
    /** Attempts of one upload whose stream breaks (baton-sdk: 3). */
    static final int UPLOAD_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(C1Client.class);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final C1Settings settings;
    private final ObjectMapper json;
    private final String version;
    private volatile C1TokenSource tokens;
    private volatile ManagedChannel channel;

    public C1Client(C1Settings settings, ObjectMapper json, ObjectProvider<BuildProperties> build) {
        this.settings = settings;
        this.json = json;
        this.version = C1Hello.version(build);
    }

    public C1Settings settings() {
        return settings;
    }

    /** {@code <client-name> seismic-connector/<version>}, as baton-sdk sends {@code <client-name> baton-sdk/<version>}. */
    public String userAgent() {
        return settings.credentials().clientName() + " seismic-connector/" + version;
    }

    public void hello(BatonServiceHelloRequest request) {
        call(stub -> stub.hello(request.toBuilder().setHostId(settings.hostId()).build()));
    }

    public BatonServiceGetTaskResponse getTask() {
        return call(stub -> stub.getTask(BatonServiceGetTaskRequest.newBuilder().setHostId(settings.hostId()).build()));
    }

    public BatonServiceHeartbeatResponse heartbeat(String taskId) {
        return call(stub -> stub.heartbeat(BatonServiceHeartbeatRequest.newBuilder().setHostId(settings.hostId()).setTaskId(taskId).build()));
    }

    public void finish(BatonServiceFinishTaskRequest request) {
        call(stub -> stub.finishTask(request.toBuilder().setHostId(settings.hostId()).build()));
    }

    /**
     * Uploads a file for a task: metadata, the bytes in {@value #CHUNK_BYTES}-byte chunks (read as the stream can take
     * them, so memory stays flat), then the SHA-256 of the whole file. A broken stream is tried again from the start,
     * {@value #UPLOAD_ATTEMPTS} attempts in all; {@code stop} ends it early (the task was cancelled). Returns the bytes sent.
     */
    public long upload(String taskId, Path file, BooleanSupplier stop) throws IOException {
        byte[] sha256 = sha256(file);
        long size = Files.size(file);
        for (int attempt = 1; ; attempt++) {
            String authorization = tokens().authorization();
            try {
                stream(taskId, file, sha256, authorization, stop);
                return size;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
                    tokens().invalidate(authorization);
                }
                if (attempt >= UPLOAD_ATTEMPTS || stop.getAsBoolean() || !retryable(e.getStatus().getCode())) {
                    throw e;
                }
                log.warn("C1 task {}: upload attempt {} of {} broke ({}); starting it again", taskId, attempt, UPLOAD_ATTEMPTS,
                        C1TokenSource.describe(e));
            }
        }
    }

    private void stream(String taskId, Path file, byte[] sha256, String authorization, BooleanSupplier stop) throws IOException {
        CompletableFuture<BatonServiceUploadAssetResponse> done = new CompletableFuture<>();
        Object ready = new Object();
        ClientCallStreamObserver<BatonServiceUploadAssetRequest>[] call = new ClientCallStreamObserver[1];
        ClientResponseObserver<BatonServiceUploadAssetRequest, BatonServiceUploadAssetResponse> answers = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<BatonServiceUploadAssetRequest> requests) {
                call[0] = requests;
                requests.setOnReadyHandler(() -> {
                    synchronized (ready) {
                        ready.notifyAll();
                    }
                });
            }

            @Override
            public void onNext(BatonServiceUploadAssetResponse value) {
                done.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
                synchronized (ready) {
                    ready.notifyAll();
                }
            }

            @Override
            public void onCompleted() {
                done.complete(BatonServiceUploadAssetResponse.getDefaultInstance());
            }
        };
        BatonServiceGrpc.newStub(channel()).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(authorization)))
                .uploadAsset(answers);
        ClientCallStreamObserver<BatonServiceUploadAssetRequest> out = call[0];
        try (InputStream in = Files.newInputStream(file)) {
            send(out, done, ready, BatonServiceUploadAssetRequest.newBuilder().setMetadata(
                    BatonServiceUploadAssetRequest.UploadMetadata.newBuilder().setHostId(settings.hostId()).setTaskId(taskId)).build(), stop);
            byte[] chunk = new byte[CHUNK_BYTES];
            int n;
            while ((n = in.readNBytes(chunk, 0, CHUNK_BYTES)) > 0) {
                send(out, done, ready, BatonServiceUploadAssetRequest.newBuilder().setData(
                        BatonServiceUploadAssetRequest.UploadData.newBuilder().setData(ByteString.copyFrom(chunk, 0, n))).build(), stop);
            }
            send(out, done, ready, BatonServiceUploadAssetRequest.newBuilder().setEof(
                    BatonServiceUploadAssetRequest.UploadEOF.newBuilder().setSha256Checksum(ByteString.copyFrom(sha256))).build(), stop);
            out.onCompleted();
            done.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            out.cancel("upload abandoned", e);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.cancel("interrupted", e);
            throw Status.CANCELLED.withDescription("interrupted during the upload").asRuntimeException();
        } catch (ExecutionException e) {
            throw Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (TimeoutException e) {
            out.cancel("no answer", e);
            throw Status.DEADLINE_EXCEEDED.withDescription("ConductorOne did not confirm the upload within " + settings.callTimeout())
                    .asRuntimeException();
        }
    }

    /** Sends one message once the stream can take it (flow control), or fails with the stream's error. */
    private void send(ClientCallStreamObserver<BatonServiceUploadAssetRequest> out, CompletableFuture<?> done, Object ready,
                      BatonServiceUploadAssetRequest message, BooleanSupplier stop) throws InterruptedException {
        long deadline = System.nanoTime() + settings.callTimeout().toNanos();
        synchronized (ready) {
            while (!out.isReady() && !done.isDone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw Status.DEADLINE_EXCEEDED.withDescription("ConductorOne took no upload data for " + settings.callTimeout())
                            .asRuntimeException();
                }
                ready.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            }
        }
        if (done.isCompletedExceptionally()) {
            throw Status.fromThrowable(done.handle((v, t) -> t).join()).asRuntimeException();
        }
        if (stop.getAsBoolean()) {
            throw Status.CANCELLED.withDescription("the task was cancelled during the upload").asRuntimeException();
        }
        out.onNext(message);
    }

    private <T> T call(Function<BatonServiceGrpc.BatonServiceBlockingStub, T> rpc) {
        String authorization = tokens().authorization();
        try {
            return rpc.apply(stub(authorization));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAUTHENTICATED) {
                throw e;
            }
            tokens().invalidate(authorization);
            log.info("ConductorOne answered UNAUTHENTICATED; asking for a new token and trying the call once more");
            return rpc.apply(stub(tokens().authorization()));
        }
    }

    private BatonServiceGrpc.BatonServiceBlockingStub stub(String authorization) {
        return BatonServiceGrpc.newBlockingStub(channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(authorization)))
                .withDeadlineAfter(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Metadata headers(String authorization) {
        Metadata m = new Metadata();
        m.put(AUTHORIZATION, authorization);
        return m;
    }

    /** Whether a failed call may be tried again later (C1 unreachable or busy), as opposed to refused. */
    public static boolean retryable(Status.Code code) {
        return switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNKNOWN, CANCELLED, UNAUTHENTICATED -> true;
            default -> false;
        };
    }

    C1TokenSource tokens() {
        C1TokenSource t = tokens;
        if (t == null) {
            synchronized (this) {
                if (tokens == null) {
                    requireEnabled();
                    tokens = new C1TokenSource(settings.credentials(), settings.apiAddress(), settings.callTimeout(), json, Clock.systemUTC());
                }
                t = tokens;
            }
        }
        return t;
    }

    private ManagedChannel channel() {
        ManagedChannel c = channel;
        if (c == null) {
            synchronized (this) {
                if (channel == null) {
                    requireEnabled();
                    HostAndPort address = settings.apiAddress();
                    channel = NettyChannelBuilder.forAddress(address.host(), address.port())
                            .sslContext(C1Tls.grpcContext(C1Tls.trust()))
                            .userAgent(userAgent())
                            .build();
                    log.info("ConductorOne service mode: host id {}, API {}", settings.hostId(), address);
                }
                c = channel;
            }
        }
        return c;
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw new IllegalStateException("ConductorOne service mode is off (BATON_CLIENT_ID is not set)");
        }
    }

    private static byte[] sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[CHUNK_BYTES];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @jakarta.annotation.PreDestroy
    public void close() throws InterruptedException {
        ManagedChannel c = channel;
        if (c != null) {
            c.shutdown();
            if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
                c.shutdownNow();
            }
        }
    }
}
