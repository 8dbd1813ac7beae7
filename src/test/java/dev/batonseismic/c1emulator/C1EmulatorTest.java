package dev.batonseismic.c1emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import dev.batonseismic.baton.v2.DeleteResourceResponse;
import dev.batonseismic.baton.v2.ResourceId;
import dev.batonseismic.c1.api.BatonServiceFinishTaskRequest;
import dev.batonseismic.c1.api.BatonServiceGetTaskRequest;
import dev.batonseismic.c1.api.BatonServiceGetTaskResponse;
import dev.batonseismic.c1.api.BatonServiceGrpc;
import dev.batonseismic.c1.api.BatonServiceHeartbeatRequest;
import dev.batonseismic.c1.api.BatonServiceHelloRequest;
import dev.batonseismic.c1.api.BatonServiceUploadAssetRequest;
import dev.batonseismic.c1.api.BatonServiceUploadAssetResponse;
import dev.batonseismic.c1.api.Task;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The C1 emulator seen from a client of its own: JDK Ed25519 + Jackson for the assertion, grpc-java over TLS. */
class C1EmulatorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOST_ID = "test-host";
    static C1Emulator emulator;
    static ManagedChannel channel;
    static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        emulator = C1Emulator.start();
        channel = newChannel();
        http = HttpClient.newBuilder().sslContext(TestCertificateAuthority.shared().clientContextTrustingOnlyTestCa()).build();
    }

    /** A gRPC channel over TLS that trusts the test CA only. */
    static ManagedChannel newChannel() throws IOException {
        return NettyChannelBuilder.forAddress("127.0.0.1", emulator.port())
                .sslContext(GrpcSslContexts.forClient().trustManager(emulator.caCertificate()).build())
                .userAgent("seismic-test c1-emulator-test/1")
                .build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        emulator.close();
    }

    @BeforeEach
    void fresh() {
        emulator.reset();
    }

    // ---- token endpoint and bearer tokens ----

    @Test
    void aValidAssertionGetsATokenThatAuthorizesGrpcOverTls() throws Exception {
        HttpClient freshHttp = HttpClient.newBuilder().sslContext(TestCertificateAuthority.shared().clientContextTrustingOnlyTestCa()).build();
        ManagedChannel freshChannel = newChannel();
        try {
            HttpResponse<String> answer = freshHttp.send(tokenPost(form(TestSigner.forEmulator().sign(), Map.of())),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
            assertThat(body.path("expires_in").asLong()).isEqualTo(3600);
            String token = body.path("access_token").asText();
            assertThat(token).isNotBlank();

            BatonServiceGrpc.newBlockingStub(freshChannel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
                    .hello(BatonServiceHelloRequest.newBuilder().setHostId(HOST_ID).build());
        } finally {
            freshChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        assertThat(emulator.tokenRequests()).singleElement().satisfies(r -> {
            assertThat(r.issued()).isTrue();
            assertThat(r.clientId()).isEqualTo(emulator.clientId());
        });
        assertThat(emulator.hellos()).singleElement().satisfies(h -> assertThat(h.request().getHostId()).isEqualTo(HOST_ID));
        assertThat(emulator.calls()).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("Hello");
            assertThat(c.code()).isEqualTo(Code.OK);
            assertThat(c.userAgent()).startsWith("seismic-test c1-emulator-test/1");
            assertThat(c.authority()).isEqualTo(emulator.apiHost());
        });
        assertThat(emulator.tlsConnections()).extracting(C1Records.TlsConnection::protocol).containsExactlyInAnyOrder("http/1.1", "h2");
        assertThat(emulator.tlsConnections()).allSatisfy(c -> assertThat(c.tlsVersion()).isEqualTo("TLSv1.3"));
    }

    @Test
    void clientIdAndSecretHaveConductorOnesShape() throws Exception {
        assertThat(emulator.clientId()).isEqualTo("seismic-test@acme.conductor.one/pcc");
        assertThat(emulator.apiHost()).isEqualTo("127.0.0.1:" + emulator.port());
        assertThat(emulator.connectorEnvironment()).containsOnlyKeys("BATON_CLIENT_ID", "BATON_CLIENT_SECRET", "BATON_C1_API_HOST");
        String[] parts = emulator.clientSecret().split(":", 4);
        assertThat(parts).hasSize(4);
        assertThat(parts[0] + ":" + parts[1] + ":" + parts[2]).isEqualTo("secret-token:conductorone.com:v1");
        JsonNode jwk = JSON.readTree(Base64.getUrlDecoder().decode(parts[3]));
        assertThat(jwk.path("kty").asText()).isEqualTo("OKP");
        assertThat(jwk.path("crv").asText()).isEqualTo("Ed25519");
        assertThat(Base64.getUrlDecoder().decode(jwk.path("d").asText())).hasSize(32);
        assertThat(Base64.getUrlDecoder().decode(jwk.path("x").asText())).hasSize(32);
    }

    @Test
    void aClientIdMayCarryTheApiHostItself() throws Exception {
        try (C1Emulator own = C1Emulator.start(new C1EmulatorSettings().clientName("other").clientIdCarriesApiHost(true))) {
            assertThat(own.clientId()).isEqualTo("other@127.0.0.1:" + own.port() + "/pcc");
            assertThat(own.audience()).isEqualTo("127.0.0.1");
            assertThat(own.connectorEnvironment()).containsOnlyKeys("BATON_CLIENT_ID", "BATON_CLIENT_SECRET");
            String assertion = new TestSigner(own.clientId(), own.clientSecret()).sign();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("https://" + own.apiHost() + "/auth/v1/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(assertion, Map.of("client_id", own.clientId())))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
    }

    @Test
    void aWrongSignatureIsAnInvalidClient() throws Exception {
        PrivateKey stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();

        assertOAuthError(requestToken(TestSigner.forEmulator().key(stranger).sign()), 401, "invalid_client", "signature");
    }

    @Test
    void aWrongAudienceIsAnInvalidGrant() throws Exception {
        assertOAuthError(requestToken(TestSigner.forEmulator().claim("aud", "other.conductor.one").sign()),
                400, "invalid_grant", "aud");
        assertOAuthError(requestToken(TestSigner.forEmulator().claim("aud", "acme.conductor.one:443").sign()),
                400, "invalid_grant", "aud");
        assertThat(requestToken(TestSigner.forEmulator().claim("aud", List.of("acme.conductor.one")).sign()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void anExpiredAssertionIsAnInvalidGrant() throws Exception {
        long now = Instant.now().getEpochSecond();
        TestSigner expired = TestSigner.forEmulator().claim("iat", now - 120).claim("nbf", now - 120).claim("exp", now - 60);

        assertOAuthError(requestToken(expired.sign()), 400, "invalid_grant", "expired");
        assertThat(emulator.tokenRequests()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.error()).isEqualTo("invalid_grant");
            assertThat(r.description()).contains("expired");
        });
    }

    @Test
    void otherBadRequestsGetTheirOAuthErrors() throws Exception {
        long now = Instant.now().getEpochSecond();
        assertOAuthError(requestToken(TestSigner.forEmulator().claim("exp", now + 3600).sign()), 400, "invalid_grant", "lives");
        assertOAuthError(requestToken(TestSigner.forEmulator().claim("nbf", now + 120).sign()), 400, "invalid_grant", "not valid yet");
        assertOAuthError(requestToken(TestSigner.forEmulator().claim("sub", "someone-else").sign()), 400, "invalid_grant", "sub");
        assertOAuthError(requestToken(TestSigner.forEmulator().header("alg", "HS256").sign()), 401, "invalid_client", "alg");
        assertOAuthError(post(form(TestSigner.forEmulator().sign(), Map.of("client_id", "someone@acme.conductor.one/pcc"))),
                401, "invalid_client", "unknown client_id");
        assertOAuthError(post(form(TestSigner.forEmulator().sign(), Map.of("grant_type", "password"))),
                400, "invalid_request", "grant_type");
        emulator.rejectCredentials(true);
        assertOAuthError(requestToken(TestSigner.forEmulator().sign()), 401, "invalid_client", "rejected");
        assertThat(emulator.tokenRequests()).hasSize(7).noneMatch(C1Records.TokenRequest::issued);
    }

    @Test
    void aRevokedTokenOrNoneIsUnauthenticated() throws Exception {
        String token = token();
        blocking(token).hello(BatonServiceHelloRequest.newBuilder().setHostId(HOST_ID).build());

        emulator.revokeTokens();

        assertStatus(() -> blocking(token).hello(BatonServiceHelloRequest.getDefaultInstance()), Code.UNAUTHENTICATED, "revoked");
        assertStatus(() -> BatonServiceGrpc.newBlockingStub(channel).hello(BatonServiceHelloRequest.getDefaultInstance()),
                Code.UNAUTHENTICATED, "no authorization");
        assertThat(emulator.calls()).extracting(C1Records.GrpcCall::code)
                .containsExactly(Code.OK, Code.UNAUTHENTICATED, Code.UNAUTHENTICATED);
        assertThat(emulator.hellos()).hasSize(1);
    }

    @Test
    void anExpiredTokenIsUnauthenticated() throws Exception {
        emulator.tokenLifetime(Duration.ofSeconds(-1));
        try {
            String token = token();
            assertStatus(() -> blocking(token).hello(BatonServiceHelloRequest.getDefaultInstance()), Code.UNAUTHENTICATED, "expired");
        } finally {
            emulator.tokenLifetime(Duration.ofHours(1));
        }
    }

    // ---- TLS front ----

    @Test
    void theFrontRefusesAClientOfferingNeitherProtocolAndTakesOneWithoutAlpnForHttp1() throws Exception {
        SSLContext trusting = TestCertificateAuthority.shared().clientContextTrustingOnlyTestCa();
        try (SSLSocket spdy = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", emulator.port())) {
            SSLParameters p = spdy.getSSLParameters();
            p.setApplicationProtocols(new String[] {"spdy/3"});
            spdy.setSSLParameters(p);
            assertThatThrownBy(spdy::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        try (SSLSocket plain = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", emulator.port())) {
            OutputStream out = plain.getOutputStream();
            out.write("GET /auth/v1/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = plain.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 405");
        }
        assertThat(emulator.tlsConnections()).anySatisfy(c -> assertThat(c.failure()).contains("handshake"));
    }

    @Test
    void theTrustStoreHoldsTheJvmDefaultsAndTheTestCa() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.shared();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ca.trustStore())) {
            store.load(in, ca.trustStorePassword().toCharArray());
        }
        List<X509Certificate> certs = java.util.Collections.list(store.aliases()).stream()
                .map(a -> (X509Certificate) getCertificate(store, a)).toList();
        assertThat(certs).contains(ca.caCertificate()).hasSizeGreaterThan(10);

        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        HttpResponse<String> answer = HttpClient.newBuilder().sslContext(context).build().send(HttpRequest
                        .newBuilder(URI.create("https://localhost:" + emulator.port() + "/auth/v1/token")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(405);
    }

    // ---- BatonService ----

    @Test
    void getTaskHandsOutAnEnqueuedTaskOnceThenNoTaskWithNextPoll() throws Exception {
        String id = emulator.enqueue(C1TaskBuilders.syncFull());
        assertThat(id).hasSize(27).matches("[0-9A-Za-z]+");
        var stub = blocking(token());

        BatonServiceGetTaskResponse first = stub.getTask(BatonServiceGetTaskRequest.newBuilder().setHostId(HOST_ID).build());
        BatonServiceGetTaskResponse second = stub.getTask(BatonServiceGetTaskRequest.newBuilder().setHostId(HOST_ID).build());

        assertThat(first.getTask().getId()).isEqualTo(id);
        assertThat(first.getTask().getTaskTypeCase()).isEqualTo(Task.TaskTypeCase.SYNC_FULL);
        assertThat(first.getNextPoll().getSeconds()).isEqualTo(1);
        assertThat(first.getNextHeartbeat().getSeconds()).isEqualTo(1);
        assertThat(second.hasTask()).isFalse();
        assertThat(second.getNextPoll().getSeconds()).isEqualTo(1);
        assertThat(emulator.getTaskCalls()).extracting(C1Records.GetTaskCall::taskId).containsExactly(id, null);
        assertThat(emulator.getTaskCalls()).extracting(C1Records.GetTaskCall::hostId).containsOnly(HOST_ID);

        emulator.settings().explicitNoneTask = true;
        try {
            assertThat(stub.getTask(BatonServiceGetTaskRequest.getDefaultInstance()).getTask().hasNone()).isTrue();
        } finally {
            emulator.settings().explicitNoneTask = false;
        }
    }

    @Test
    void getTaskFaultsFailTheNextCallsThenTheQueueAnswers() throws Exception {
        String id = emulator.enqueue(C1TaskBuilders.deleteResource(ResourceId.newBuilder().setResourceType("user").setResource("u1").build()));
        emulator.failGetTasks(2, Code.UNAVAILABLE);
        var stub = blocking(token());

        assertStatus(() -> stub.getTask(BatonServiceGetTaskRequest.getDefaultInstance()), Code.UNAVAILABLE, "injected");
        assertStatus(() -> stub.getTask(BatonServiceGetTaskRequest.getDefaultInstance()), Code.UNAVAILABLE, "injected");
        assertThat(stub.getTask(BatonServiceGetTaskRequest.getDefaultInstance()).getTask().getId()).isEqualTo(id);

        assertThat(emulator.getTaskCalls()).extracting(C1Records.GetTaskCall::fault).containsExactly(Code.UNAVAILABLE, Code.UNAVAILABLE, null);
        emulator.failGetTasks(1, Code.DEADLINE_EXCEEDED);
        assertStatus(() -> stub.getTask(BatonServiceGetTaskRequest.getDefaultInstance()), Code.DEADLINE_EXCEEDED, "injected");
    }

    @Test
    void aCancelledTasksHeartbeatSaysCancelled() throws Exception {
        String id = emulator.enqueue(C1TaskBuilders.syncFull());
        var stub = blocking(token());
        BatonServiceHeartbeatRequest beat = BatonServiceHeartbeatRequest.newBuilder().setHostId(HOST_ID).setTaskId(id).build();

        assertThat(stub.heartbeat(beat).getCancelled()).isFalse();
        emulator.cancel(id);
        var answer = stub.heartbeat(beat);

        assertThat(answer.getCancelled()).isTrue();
        assertThat(answer.getNextHeartbeat().getSeconds()).isEqualTo(1);
        assertThat(emulator.heartbeats(id)).extracting(C1Records.HeartbeatCall::cancelled).containsExactly(false, true);
    }

    @Test
    void finishTaskIsRecordedInOrderAndAwaitable() throws Exception {
        String id = emulator.enqueue(C1TaskBuilders.deleteResource(ResourceId.newBuilder().setResourceType("user").setResource("u1").build()));
        emulator.failFinishes(1, Code.UNAVAILABLE);
        var stub = blocking(token());
        BatonServiceFinishTaskRequest finish = BatonServiceFinishTaskRequest.newBuilder().setHostId(HOST_ID).setTaskId(id)
                .setStatus(Status.newBuilder().setCode(0))
                .setSuccess(BatonServiceFinishTaskRequest.Success.newBuilder()
                        .setResponse(Any.pack(DeleteResourceResponse.getDefaultInstance())))
                .build();

        assertStatus(() -> stub.finishTask(finish), Code.UNAVAILABLE, "injected");
        CompletableFuture<C1Records.FinishCall> waiting = CompletableFuture.supplyAsync(() -> emulator.awaitFinish(id, Duration.ofSeconds(5)));
        stub.finishTask(finish);

        C1Records.FinishCall done = waiting.get(5, TimeUnit.SECONDS);
        assertThat(done.succeeded()).isTrue();
        assertThat(done.code()).isEqualTo(Code.OK);
        assertThat(done.response(DeleteResourceResponse.class)).isEqualTo(DeleteResourceResponse.getDefaultInstance());
        assertThat(emulator.finishes(id)).extracting(C1Records.FinishCall::fault).containsExactly(Code.UNAVAILABLE, null);
        assertThatThrownBy(() -> emulator.awaitFinish("not-a-task", Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not-a-task");
    }

    @Test
    void anUploadIn512KiBChunksIsStoredByteExact() throws Exception {
        String id = emulator.enqueue(C1TaskBuilders.syncFull());
        byte[] data = randomBytes(2 * 512 * 1024 + 12_345);

        upload(token(), id, data, sha256(data), 512 * 1024).get(10, TimeUnit.SECONDS);

        assertThat(emulator.uploads(id)).singleElement().satisfies(file -> assertThat(Files.readAllBytes(file)).isEqualTo(data));
        assertThat(emulator.uploadAttempts(id)).singleElement().satisfies(a -> {
            assertThat(a.completed()).isTrue();
            assertThat(a.chunkSizes()).containsExactly(512 * 1024, 512 * 1024, 12_345);
            assertThat(a.bytes()).isEqualTo(data.length);
            assertThat(a.hostId()).isEqualTo(HOST_ID);
        });
    }

    @Test
    void anUploadWithAWrongChecksumIsRefusedAndKeepsNothing() throws Exception {
        String id = emulator.enqueue(C1TaskBuilders.syncFull());
        byte[] data = randomBytes(700_000);
        byte[] wrong = sha256(data);
        wrong[0] ^= 1;

        ExecutionException refused = catchThrowableOfType(ExecutionException.class,
                () -> upload(token(), id, data, wrong, 512 * 1024).get(10, TimeUnit.SECONDS));

        assertThat(io.grpc.Status.fromThrowable(refused.getCause()).getCode()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(emulator.uploads(id)).isEmpty();
        assertThat(emulator.uploadAttempts(id)).singleElement().satisfies(a -> assertThat(a.failure()).contains("does not match"));
        assertThat(storedFiles()).isZero();
    }

    @Test
    void aBrokenUploadKeepsNothingAndTheNextOneIsStored() throws Exception {
        String id = emulator.enqueue(C1TaskBuilders.syncFull());
        byte[] data = randomBytes(3 * 512 * 1024);
        emulator.breakNextUploads(1, 2);
        String token = token();

        ExecutionException broken = catchThrowableOfType(ExecutionException.class,
                () -> upload(token, id, data, sha256(data), 512 * 1024).get(10, TimeUnit.SECONDS));
        assertThat(io.grpc.Status.fromThrowable(broken.getCause()).getCode()).isEqualTo(Code.UNAVAILABLE);
        assertThat(emulator.uploads(id)).isEmpty();
        assertThat(storedFiles()).isZero();

        upload(token, id, data, sha256(data), 512 * 1024).get(10, TimeUnit.SECONDS);

        assertThat(emulator.uploadAttempts(id)).extracting(C1Records.UploadAttempt::completed).containsExactly(false, true);
        assertThat(emulator.uploadAttempts(id).get(0).chunkSizes()).hasSize(2);
        assertThat(emulator.uploadAttempts(id).get(0).failure()).contains("stream broken");
        assertThat(emulator.uploads(id)).hasSize(1);
    }

    @Test
    void anUploadWithoutMetadataFirstOrWithTooBigAChunkIsRefused() throws Exception {
        String token = token();
        CompletableFuture<BatonServiceUploadAssetResponse> answer = new CompletableFuture<>();
        StreamObserver<BatonServiceUploadAssetRequest> stream = async(token).uploadAsset(observer(answer));
        stream.onNext(data(new byte[10]));
        stream.onCompleted();
        ExecutionException noMetadata = catchThrowableOfType(ExecutionException.class, () -> answer.get(5, TimeUnit.SECONDS));
        assertThat(io.grpc.Status.fromThrowable(noMetadata.getCause()).getDescription()).contains("metadata");

        String id = emulator.enqueue(C1TaskBuilders.syncFull());
        byte[] big = randomBytes(1024 * 1024 + 1);
        ExecutionException tooBig = catchThrowableOfType(ExecutionException.class,
                () -> upload(token, id, big, sha256(big), big.length).get(10, TimeUnit.SECONDS));
        assertThat(io.grpc.Status.fromThrowable(tooBig.getCause()).getDescription()).contains("more than 1048576");
    }

    // ---- client side of the test ----

    private static HttpResponse<String> requestToken(String assertion) throws IOException, InterruptedException {
        return post(form(assertion, Map.of()));
    }

    private static String form(String assertion, Map<String, String> overrides) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("client_id", emulator.clientId());
        fields.put("grant_type", "client_credentials");
        fields.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        fields.put("client_assertion", assertion);
        fields.putAll(overrides);
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static HttpResponse<String> post(String form) throws IOException, InterruptedException {
        return http.send(tokenPost(form), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest tokenPost(String form) {
        return HttpRequest.newBuilder(URI.create("https://" + emulator.apiHost() + "/auth/v1/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private static String token() throws Exception {
        HttpResponse<String> answer = requestToken(TestSigner.forEmulator().sign());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("access_token").asText();
    }

    private static void assertOAuthError(HttpResponse<String> answer, int status, String error, String description) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("error_description").asText()).contains(description);
    }

    private static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(BearerAuthInterceptor.AUTHORIZATION, "Bearer " + token);
        return headers;
    }

    private static BatonServiceGrpc.BatonServiceBlockingStub blocking(String token) {
        return BatonServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static BatonServiceGrpc.BatonServiceStub async(String token) {
        return BatonServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static void assertStatus(Runnable call, Code code, String description) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("a call failing with " + code).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).contains(description);
    }

    /** Sends metadata, the data in chunks of {@code chunk} bytes and eof with the given checksum, as baton-sdk's Upload does. */
    private static CompletableFuture<BatonServiceUploadAssetResponse> upload(String token, String taskId, byte[] data,
                                                                            byte[] checksum, int chunk) {
        CompletableFuture<BatonServiceUploadAssetResponse> answer = new CompletableFuture<>();
        StreamObserver<BatonServiceUploadAssetRequest> stream = async(token).uploadAsset(observer(answer));
        stream.onNext(BatonServiceUploadAssetRequest.newBuilder().setMetadata(BatonServiceUploadAssetRequest.UploadMetadata
                .newBuilder().setHostId(HOST_ID).setTaskId(taskId)).build());
        for (int off = 0; off < data.length; off += chunk) {
            stream.onNext(data(Arrays.copyOfRange(data, off, Math.min(data.length, off + chunk))));
        }
        stream.onNext(BatonServiceUploadAssetRequest.newBuilder().setEof(BatonServiceUploadAssetRequest.UploadEOF.newBuilder()
                .setSha256Checksum(ByteString.copyFrom(checksum))).build());
        stream.onCompleted();
        return answer;
    }

    private static BatonServiceUploadAssetRequest data(byte[] bytes) {
        return BatonServiceUploadAssetRequest.newBuilder().setData(BatonServiceUploadAssetRequest.UploadData.newBuilder()
                .setData(ByteString.copyFrom(bytes))).build();
    }

    private static <T> StreamObserver<T> observer(CompletableFuture<T> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.complete(null);
            }
        };
    }

    private static long storedFiles() throws IOException {
        try (var files = Files.list(emulator.uploadDirectory())) {
            return files.count();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] sha256(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static java.security.cert.Certificate getCertificate(KeyStore store, String alias) {
        try {
            return store.getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client assertion made the way baton-sdk's {@code c1_credential_provider.go} makes it, from the client secret
     * alone: EdDSA over {@code header.payload}, claims iss = sub = client id, aud = its host without a port, iat now,
     * nbf 15 s before, exp 15 s after. Claims and header fields can be overridden to make it wrong.
     */
    static final class TestSigner {
        private PrivateKey key;
        private final Map<String, Object> header = new LinkedHashMap<>();
        private final Map<String, Object> claims = new LinkedHashMap<>();

        private TestSigner(String clientId, String clientSecret) throws Exception {
            JsonNode jwk = JSON.readTree(Base64.getUrlDecoder().decode(clientSecret.split(":", 4)[3]));
            byte[] seed = Base64.getUrlDecoder().decode(jwk.path("d").asText());
            this.key = KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            String host = clientId.substring(clientId.indexOf('@') + 1, clientId.indexOf('/', clientId.indexOf('@')));
            String aud = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
            long now = Instant.now().getEpochSecond();
            header.put("alg", "EdDSA");
            claims.put("iss", clientId);
            claims.put("sub", clientId);
            claims.put("aud", aud);
            claims.put("exp", now + 15);
            claims.put("iat", now);
            claims.put("nbf", now - 15);
        }

        static TestSigner forEmulator() throws Exception {
            return new TestSigner(emulator.clientId(), emulator.clientSecret());
        }

        TestSigner key(PrivateKey other) {
            this.key = other;
            return this;
        }

        TestSigner claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        TestSigner header(String name, Object value) {
            header.put(name, value);
            return this;
        }

        String sign() throws Exception {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signed = b64.encodeToString(JSON.writeValueAsBytes(header)) + "." + b64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + b64.encodeToString(signer.sign());
        }
    }
}
