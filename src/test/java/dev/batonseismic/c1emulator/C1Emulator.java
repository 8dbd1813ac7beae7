package dev.batonseismic.c1emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.c1.api.Task;
import dev.batonseismic.sync.Ksuid;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A stateful stand-in for ConductorOne in service mode: the token endpoint and {@code BatonService}, with a task
 * queue, fault injection and a record of every request. The protocol is baton-sdk's ({@code pkg/ugrpc},
 * {@code pkg/tasks/c1api}).
 *
 * <p>One host:port for both, as the connector expects ({@code https://<host>/auth/v1/token} and gRPC to the same
 * {@code <host>}): a JDK TLS listener on 127.0.0.1 ({@link TlsFront}) terminates TLS with a certificate from the
 * JVM's {@link TestCertificateAuthority} and lets ALPN pick the backend. A client offering {@code http/1.1} (an
 * HTTP client; they offer it next to h2) is piped to a plaintext {@code HttpServer} with the token endpoint; a
 * client offering only {@code h2} (gRPC) to a plaintext grpc-java server, which speaks HTTP/2 with prior knowledge,
 * as the decrypted stream is. Netty's gRPC server alone could not answer the plain HTTP POST.
 *
 * <p>To point a connector at it: {@link #connectorEnvironment()} ({@code BATON_CLIENT_ID},
 * {@code BATON_CLIENT_SECRET}, {@code BATON_C1_API_HOST}) and trust through the JVM's standard settings:
 * {@link #installAsJvmTrust()} in the test JVM, or {@link #trustStoreProperties()} as {@code -D} options of a child JVM.
 */
public final class C1Emulator implements AutoCloseable {
    private final C1EmulatorSettings settings;
    private final C1Records records = new C1Records();
    private final C1Faults faults = new C1Faults();
    private final IssuedTokens tokens = new IssuedTokens();
    private final TestCertificateAuthority ca;
    private final Path directory;
    private final Path uploadDirectory;
    private final TlsFront front;
    private final ClientCredentials credentials;
    private final TokenEndpoint tokenEndpoint;
    private final EmulatedBatonService service;
    private final Server grpc;

    private C1Emulator(C1EmulatorSettings settings) throws IOException {
        this.settings = settings;
        this.ca = settings.untrustedCertificate ? TestCertificateAuthority.throwaway() : TestCertificateAuthority.shared();
        this.directory = Files.createTempDirectory("c1-emulator-");
        this.front = new TlsFront(ca.serverContext(), records);
        try {
            String tokenHost = settings.clientIdCarriesApiHost ? apiHost() : settings.tokenHost;
            this.credentials = new ClientCredentials(settings.clientName, tokenHost);
            this.tokenEndpoint = new TokenEndpoint(new ObjectMapper(), credentials, tokens, settings, records);
            this.uploadDirectory = Files.createDirectory(directory.resolve("uploads"));
            this.service = new EmulatedBatonService(settings, records, faults, uploadDirectory);
            this.grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(service, new BearerAuthInterceptor(tokens, records)))
                    .build()
                    .start();
            front.start(tokenEndpoint.port(), grpc.getPort());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts an emulator with the default settings. */
    public static C1Emulator start() {
        return start(new C1EmulatorSettings());
    }

    public static C1Emulator start(C1EmulatorSettings settings) {
        try {
            return new C1Emulator(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the C1 emulator: " + e.getMessage(), e);
        }
    }

    // ---- where it is and who may call it ----

    /** {@code 127.0.0.1:<port>}: the connector's {@code BATON_C1_API_HOST}. */
    public String apiHost() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return front.port();
    }

    /** {@code <clientName>@<tokenHost>/pcc}, or {@code <clientName>@127.0.0.1:<port>/pcc} when the settings say so. */
    public String clientId() {
        return credentials.clientId();
    }

    /** {@code secret-token:conductorone.com:v1:<JWK of the Ed25519 key>}. */
    public String clientSecret() {
        return credentials.clientSecret();
    }

    /** The audience a client assertion must name: the client id's host without a port. */
    public String audience() {
        return credentials.audience();
    }

    /** The environment a connector needs to reach this emulator (without the trust store, see the class comment). */
    public Map<String, String> connectorEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BATON_CLIENT_ID", clientId());
        env.put("BATON_CLIENT_SECRET", clientSecret());
        if (!settings.clientIdCarriesApiHost) {
            env.put("BATON_C1_API_HOST", apiHost());
        }
        return env;
    }

    public C1EmulatorSettings settings() {
        return settings;
    }

    /** The CA of the certificate the front presents: the JVM's shared test CA unless the settings ask for an untrusted one. */
    public X509Certificate caCertificate() {
        return ca.caCertificate();
    }

    /** The PKCS12 trust store with the JVM's default CAs and this emulator's CA (see {@link TestCertificateAuthority#trustStore()}). */
    public Path trustStore() {
        return ca.trustStore();
    }

    public String trustStorePassword() {
        return ca.trustStorePassword();
    }

    /** The {@code -Djavax.net.ssl.*} options that make a child JVM trust this emulator. */
    public Map<String, String> trustStoreProperties() {
        return ca.trustStoreProperties();
    }

    /** Makes this JVM trust the emulator through its standard settings (see {@link TestCertificateAuthority#installAsJvmTrust()}). */
    public void installAsJvmTrust() {
        ca.installAsJvmTrust();
    }

    /** Where uploads are written; only completed ones stay. */
    Path uploadDirectory() {
        return uploadDirectory;
    }

    // ---- tasks ----

    /** Queues a task for the next GetTask, with a fresh 27-character id unless it has one; returns the id. */
    public String enqueue(Task.Builder task) {
        if (task.getId().isEmpty()) {
            task.setId(Ksuid.next(Instant.now()));
        }
        Task t = task.build();
        service.enqueue(t);
        return t.getId();
    }

    /** Tasks queued and not handed out yet. */
    public List<Task> queued() {
        return service.queued();
    }

    /** From now on every Heartbeat of the task answers {@code cancelled}. */
    public void cancel(String taskId) {
        service.cancel(taskId);
    }

    // ---- credentials and tokens ----

    /** Every token issued so far stops being accepted (calls with it answer UNAUTHENTICATED). */
    public void revokeTokens() {
        tokens.revokeAll();
    }

    /** True: every token request answers 401 invalid_client, as for a deleted client. */
    public void rejectCredentials(boolean reject) {
        tokenEndpoint.rejectCredentials(reject);
    }

    /** The lifetime of tokens issued from now on (their {@code expires_in} and when the emulator stops taking them). */
    public void tokenLifetime(Duration lifetime) {
        settings.tokenLifetime = lifetime;
    }

    // ---- faults ----

    /** The next {@code times} Hellos fail with {@code code}. */
    public void failHellos(int times, Status.Code code) {
        faults.failNext(C1Faults.Method.HELLO, times, code);
    }

    /** The next {@code times} GetTasks fail with {@code code} (UNAVAILABLE, DEADLINE_EXCEEDED, ...). */
    public void failGetTasks(int times, Status.Code code) {
        faults.failNext(C1Faults.Method.GET_TASK, times, code);
    }

    public void failHeartbeats(int times, Status.Code code) {
        faults.failNext(C1Faults.Method.HEARTBEAT, times, code);
    }

    public void failFinishes(int times, Status.Code code) {
        faults.failNext(C1Faults.Method.FINISH_TASK, times, code);
    }

    /**
     * The next {@code uploads} UploadAsset streams answer UNAVAILABLE "stream broken" after {@code afterChunks}
     * data chunks (0: right after the metadata; at eof at the latest); nothing of them is kept.
     */
    public void breakNextUploads(int uploads, int afterChunks) {
        faults.breakNextUploads(uploads, afterChunks);
    }

    // ---- what happened ----

    public List<C1Records.HelloCall> hellos() {
        return records.hellos();
    }

    public List<C1Records.GetTaskCall> getTaskCalls() {
        return records.getTaskCalls();
    }

    public List<C1Records.HeartbeatCall> heartbeats(String taskId) {
        return records.heartbeats(taskId);
    }

    /** The files of the task's completed uploads, in order, byte-exact. */
    public List<Path> uploads(String taskId) {
        return records.uploadAttempts(taskId).stream().filter(C1Records.UploadAttempt::completed)
                .map(C1Records.UploadAttempt::file).toList();
    }

    /** Every UploadAsset stream of the task, completed or not. */
    public List<C1Records.UploadAttempt> uploadAttempts(String taskId) {
        return records.uploadAttempts(taskId);
    }

    /** Every FinishTask of the task, in order, those answered with an injected fault included. */
    public List<C1Records.FinishCall> finishes(String taskId) {
        return records.finishes(taskId);
    }

    /** The task's first accepted FinishTask, waiting up to {@code timeout}; AssertionError (with what was seen) if none. */
    public C1Records.FinishCall awaitFinish(String taskId, Duration timeout) {
        return records.awaitFinish(taskId, timeout);
    }

    /** Every gRPC call as it ended, refused ones included. */
    public List<C1Records.GrpcCall> calls() {
        return records.calls();
    }

    public List<C1Records.TokenRequest> tokenRequests() {
        return records.tokenRequests();
    }

    /** Every TLS connection to the front with the protocol ALPN picked, or why the handshake failed. */
    public List<C1Records.TlsConnection> tlsConnections() {
        return records.tlsConnections();
    }

    /**
     * Back to an empty state: no queued or cancelled tasks, no records, no faults, credentials accepted, stored
     * uploads deleted. Issued tokens and the settings are kept.
     */
    public void reset() {
        service.clear();
        records.clear();
        faults.clear();
        tokenEndpoint.rejectCredentials(false);
    }

    @Override
    public void close() {
        front.close();
        if (grpc != null) {
            grpc.shutdownNow();
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (tokenEndpoint != null) {
            tokenEndpoint.close();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a file an open stream still holds; it lives in the system's temporary directory
        }
    }
}
