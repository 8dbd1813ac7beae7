package dev.batonseismic.demo;

import dev.batonseismic.baton.v2.Entitlement;
import dev.batonseismic.baton.v2.Grant;
import dev.batonseismic.baton.v2.GrantManagerServiceGrantResponse;
import dev.batonseismic.baton.v2.Resource;
import dev.batonseismic.baton.v2.ResourceId;
import dev.batonseismic.c1emulator.C1Emulator;
import dev.batonseismic.c1emulator.C1Records;
import dev.batonseismic.c1emulator.C1TaskBuilders;
import dev.batonseismic.emulator.GroundTruth;
import dev.batonseismic.emulator.SeismicEmulator;
import dev.batonseismic.sink.C1zReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's ConductorOne round ({@code -Ddemo.c1=true}): the C1 emulator asks for a full sync, receives the uploaded
 * .c1z (read back here and compared with the Seismic emulator's tenant), then asks for a group grant, which is checked
 * in the Seismic emulator.
 */
final class DemoServiceMode {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final C1Emulator c1;
    private final SeismicEmulator seismic;

    DemoServiceMode(C1Emulator c1, SeismicEmulator seismic) {
        this.c1 = c1;
        this.seismic = seismic;
    }

    /** The connector's arguments that point it at the C1 emulator (which this JVM trusts through javax.net.ssl.*). */
    static List<String> arguments(C1Emulator c1) {
        return List.of("--c1.client-id=" + c1.clientId(), "--c1.client-secret=" + c1.clientSecret(), "--c1.api-host=" + c1.apiHost(),
                "--c1.host-id=seismic-demo");
    }

    List<String> run() throws Exception {
        List<String> out = new ArrayList<>();
        GroundTruth truth = seismic.truth();
        String sync = c1.enqueue(C1TaskBuilders.syncFull());
        C1Records.FinishCall synced = c1.awaitFinish(sync, TIMEOUT);
        Path upload = c1.uploads(sync).isEmpty() ? null : c1.uploads(sync).get(0);
        if (!synced.succeeded() || upload == null) {
            out.add("sync_full  task " + sync + " FAILED: " + synced.request().getStatus().getMessage());
            return out;
        }
        try (C1zReader c1z = new C1zReader(upload)) {
            long users = c1z.count("select count(*) from v1_resources where resource_type_id = 'user'");
            long groups = c1z.count("select count(*) from v1_resources where resource_type_id = 'group'");
            long grants = c1z.count("select count(*) from v1_grants");
            long expected = truth.counts().get("memberships") + truth.counts().get("roleGrants") + truth.counts().get("licenseGrants");
            out.add("sync_full  task " + sync + " SUCCEEDED: " + Files.size(upload) + " bytes uploaded in "
                    + c1.uploadAttempts(sync).get(0).chunkSizes().size() + " chunk(s); the .c1z holds " + users + " users, " + groups
                    + " groups, " + grants + " grants" + (users == truth.users().size() && groups == truth.memberships().size()
                    && grants == expected ? " = the emulated tenant" : " (the tenant has " + truth.counts() + ")"));
        }

        String user = truth.users().keySet().stream().skip(2).findFirst().orElseThrow();
        String group = truth.memberships().entrySet().stream().filter(e -> !e.getValue().contains(user)).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        Entitlement member = Entitlement.newBuilder().setId("group:" + group + ":member").setSlug("member")
                .setResource(Resource.newBuilder().setId(ResourceId.newBuilder().setResourceType("group").setResource(group))).build();
        Resource principal = Resource.newBuilder().setId(ResourceId.newBuilder().setResourceType("user").setResource(user)).build();
        String grant = c1.enqueue(C1TaskBuilders.grant(member, principal));
        C1Records.FinishCall granted = c1.awaitFinish(grant, TIMEOUT);
        if (!granted.succeeded()) {
            out.add("grant      task " + grant + " FAILED: " + granted.request().getStatus().getMessage());
            return out;
        }
        Grant made = granted.request().getSuccess().getResponse().unpack(GrantManagerServiceGrantResponse.class).getGrants(0);
        out.add("grant      task " + grant + " SUCCEEDED: " + made.getId() + "; in Seismic: "
                + (seismic.truth().memberships().get(group).contains(user) ? "member" : "NOT a member"));
        return out;
    }
}
