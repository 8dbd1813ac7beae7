package dev.batonseismic.c1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batonseismic.baton.v2.Capability;
import dev.batonseismic.baton.v2.ConnectorMetadata;
import dev.batonseismic.baton.v2.ResourceTypeCapability;
import dev.batonseismic.c1emulator.C1Records;
import dev.batonseismic.c1emulator.C1TaskBuilders;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Service mode with BATON_PROVISIONING off: Hello offers sync only, and every write task is refused without a Seismic call. */
@TestPropertySource(properties = {"provisioning.enabled=false", "connector.data-dir=target/test-data-c1-off"})
class C1ProvisioningOffTest extends C1TestSupport {

    @Test
    void writesAreRefusedAsNonRetryableWithoutCallingSeismic() throws Exception {
        awaitConnected();
        C1.reset();
        EMULATOR.regenerate(20, 30);
        String[] ug = C1ServiceModeTest.userOutsideAGroup(EMULATOR.truth());
        EMULATOR.requests().clear();

        String hello = C1.enqueue(C1TaskBuilders.hello());
        String grant = C1.enqueue(C1TaskBuilders.grant(C1ServiceModeTest.entitlement("group", ug[1], "member"), C1ServiceModeTest.user(ug[0])));
        String delete = C1.enqueue(C1TaskBuilders.deleteResource(C1ServiceModeTest.user(ug[0]).getId()));
        for (String id : new String[] {grant, delete}) {
            C1Records.FinishCall f = finished(id);
            assertThat(f.succeeded()).isFalse();
            assertThat(f.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(f.request().getError().getNonRetryable()).isTrue();
            assertThat(f.request().getStatus().getMessage()).contains("provisioning is not enabled").contains("BATON_PROVISIONING=true");
        }
        assertThat(EMULATOR.requests().total()).as("Seismic is never called").isZero();
        assertThat(EMULATOR.truth().memberships().get(ug[1])).doesNotContain(ug[0]);

        await().atMost(TASK_TIMEOUT).until(() -> C1.hellos().stream().anyMatch(h -> h.request().getTaskId().equals(hello)));
        ConnectorMetadata metadata = C1.hellos().stream().filter(h -> h.request().getTaskId().equals(hello)).findFirst().orElseThrow()
                .request().getConnectorMetadata();
        assertThat(metadata.getCapabilities().getConnectorCapabilitiesList()).containsExactlyInAnyOrder(Capability.CAPABILITY_SYNC,
                Capability.CAPABILITY_TARGETED_SYNC, Capability.CAPABILITY_SERVICE_MODE_TARGETED_SYNC);
        assertThat(metadata.getCapabilities().getResourceTypeCapabilitiesList()).extracting(ResourceTypeCapability::getCapabilitiesList)
                .allSatisfy(c -> assertThat(c).containsAnyOf(Capability.CAPABILITY_SYNC).isSubsetOf(Capability.CAPABILITY_SYNC,
                        Capability.CAPABILITY_TARGETED_SYNC));
        assertThat(metadata.hasAccountCreationSchema()).isFalse();
    }
}
