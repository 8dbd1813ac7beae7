package dev.batonseismic.c1emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batonseismic.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator is trusted through the JVM's standard trust settings only, checked in child JVMs so this JVM's
 * default SSL context stays as it was.
 */
class C1EmulatorTrustTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheJvmsStandardTrustSettingsMakeItTrusted() throws Exception {
        try (C1Emulator trusted = C1Emulator.start();
             C1Emulator untrusted = C1Emulator.start(new C1EmulatorSettings().untrustedCertificate(true))) {
            List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
            trusted.trustStoreProperties().forEach((k, v) -> options.add("-D" + k + "=" + v));
            Path log = dir.resolve("child.log");

            Process child = ChildJvm.main(JvmTrustCheckMain.class, options,
                    Map.of("TRUSTED_HOST", trusted.apiHost(), "UNTRUSTED_HOST", untrusted.apiHost()), log).start();
            boolean ended = child.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                child.destroyForcibly();
            }

            assertThat(ended && child.exitValue() == 0).as(Files.readString(log)).isTrue();
            assertThat(trusted.tlsConnections()).extracting(C1Records.TlsConnection::protocol).contains("http/1.1", "h2");
            assertThat(untrusted.tlsConnections()).isNotEmpty().allSatisfy(c -> assertThat(c.failure()).isNotNull());
        }
    }
}
