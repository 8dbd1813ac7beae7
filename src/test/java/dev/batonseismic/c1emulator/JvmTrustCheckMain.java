package dev.batonseismic.c1emulator;

import dev.batonseismic.c1.api.BatonServiceGrpc;
import dev.batonseismic.c1.api.BatonServiceHelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;

/**
 * Run in a child JVM by {@link C1EmulatorTrustTest}, started with the parent's trust store options: checks that the
 * JVM's standard trust settings alone make a JDK {@code HttpClient} and a grpc-java channel with default TLS trust
 * the emulator at {@code TRUSTED_HOST} and refuse the one at {@code UNTRUSTED_HOST}, as the connector's clients
 * would; then that {@link TestCertificateAuthority#installAsJvmTrust()} makes this JVM trust an emulator of its own
 * (another CA) although the default SSL context was made before. Exit 0: as expected; 1: not, the reason on
 * standard output.
 */
public final class JvmTrustCheckMain {
    private JvmTrustCheckMain() {}

    public static void main(String[] args) throws Exception {
        try {
            expectTrusted(System.getenv("TRUSTED_HOST"));
            expectRefused(System.getenv("UNTRUSTED_HOST"));
            try (C1Emulator own = C1Emulator.start()) {
                expectRefused(own.apiHost());
                own.installAsJvmTrust();
                expectTrusted(own.apiHost());
            }
            System.out.println("trust as expected");
            System.exit(0);
        } catch (Exception | AssertionError e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static void expectTrusted(String host) throws Exception {
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("https://" + host + "/auth/v1/token")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 405) {
            throw new AssertionError("GET /auth/v1/token answered " + status + ", not 405");
        }
        Status.Code code = helloWithoutToken(host);
        if (code != Status.Code.UNAUTHENTICATED) {
            throw new AssertionError("a Hello over TLS answered " + code + ", not UNAUTHENTICATED");
        }
    }

    private static void expectRefused(String host) throws Exception {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("https://" + host + "/auth/v1/token")).build(),
                    HttpResponse.BodyHandlers.discarding());
            throw new AssertionError("an HttpClient trusted " + host);
        } catch (SSLHandshakeException expected) {
            // the certificate is not trusted
        }
        Status.Code code = helloWithoutToken(host);
        if (code != Status.Code.UNAVAILABLE) {
            throw new AssertionError("a Hello to an untrusted " + host + " answered " + code + ", not UNAVAILABLE");
        }
    }

    private static Status.Code helloWithoutToken(String host) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forTarget(host).build();
        try {
            BatonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .hello(BatonServiceHelloRequest.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
