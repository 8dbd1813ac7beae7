package dev.batonseismic.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batonseismic.ConnectorTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Seismic's "delegation user selected" callback: signed, stored durably, answered at once. */
class DelegationCallbackTest extends ConnectorTestSupport {
    static final String USER = "11111111-2222-4333-8444-555555555555";

    @LocalServerPort
    int port;

    private HttpResponse<String> callback(String body, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/seismic/delegation-callback"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header("x-seismic-signature", signature);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String sign(String body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSignedCallbackIsStoredAndOthersAreRefused() throws Exception {
        String body = "{\"delegationUserId\":\"" + USER + "\",\"tenant\":\"demo\",\"type\":\"DelegationUserSelected\"}";
        assertThat(callback(body, null).statusCode()).as("unsigned").isEqualTo(401);
        assertThat(callback(body, sign(body, "another-secret")).statusCode()).as("wrong secret").isEqualTo(401);
        assertThat(callback(body.replace("demo", "evil"), sign(body, CALLBACK_SECRET)).statusCode()).as("altered body").isEqualTo(401);
        String noId = "{\"tenant\":\"demo\"}";
        assertThat(callback(noId, sign(noId, CALLBACK_SECRET)).statusCode()).isEqualTo(400);

        long start = System.nanoTime();
        HttpResponse<String> ok = callback(body, sign(body, CALLBACK_SECRET));
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat((System.nanoTime() - start) / 1_000_000).as("well within Seismic's 3 s").isLessThan(3000);
        assertThat(ok.body()).contains(USER);
        assertThat(Files.readString(Path.of("target/test-data/delegation-user-id"))).isEqualTo(USER);
    }
}
