package dev.batonseismic.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.batonseismic.baton.v2.Grant;
import dev.batonseismic.baton.v2.Resource;
import dev.batonseismic.model.BatonGrant;
import dev.batonseismic.model.BatonRecords;
import dev.batonseismic.resources.GroupResources;
import dev.batonseismic.resources.LicenseResources;
import dev.batonseismic.resources.ResourceUnits;
import dev.batonseismic.resources.RoleResources;
import dev.batonseismic.resources.UserResources;
import dev.batonseismic.resources.UserResourcesTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The c1z writer on its own: baton's v1 envelope and schema, rows, field numbers, determinism, failure paths. */
class C1zSinkTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final BatonRecords BATON = new BatonRecords(JSON);
    static final UserResources USERS = UserResourcesTest.users(JSON);
    static final GroupResources GROUPS = new GroupResources(JSON, BATON, null);
    static final LicenseResources LICENSES = new LicenseResources(BATON);
    static final ResourceUnits TYPES = new ResourceUnits(List.of(USERS, GROUPS,
            new RoleResources(JSON, BATON, null, null, USERS, LICENSES, null), LICENSES));
    static final String UT = "type.googleapis.com/c1.connector.v2.";

    /** The v0.25.0 schema as baton-sdk's pkg/dotc1z creates it, typed here apart from the writer's schema file. */
    static final Map<String, List<String>> TABLES = new LinkedHashMap<>();
    static final Map<String, String> INDEXES = new LinkedHashMap<>();

    static {
        TABLES.put("v1_assets", List.of("id integer primary key", "external_id text not null", "content_type text not null",
                "data blob not null", "sync_id text not null", "discovered_at datetime not null"));
        TABLES.put("v1_connector_sessions", List.of("id integer primary key", "sync_id text not null", "key text not null",
                "value blob not null"));
        TABLES.put("v1_entitlements", List.of("id integer primary key", "resource_type_id text not null", "resource_id text not null",
                "external_id text not null", "data blob not null", "sync_id text not null", "discovered_at datetime not null"));
        TABLES.put("v1_grants", List.of("id integer primary key", "resource_type_id text not null", "resource_id text not null",
                "entitlement_id text not null", "principal_resource_type_id text not null", "principal_resource_id text not null",
                "external_id text not null", "expansion blob", "needs_expansion integer not null default 0", "data blob not null",
                "sync_id text not null", "discovered_at datetime not null"));
        TABLES.put("v1_resource_types", List.of("id integer primary key", "external_id text not null", "data blob not null",
                "sync_id text not null", "discovered_at datetime not null"));
        TABLES.put("v1_resources", List.of("id integer primary key", "resource_type_id text not null", "external_id text not null",
                "parent_resource_type_id text", "parent_resource_id text", "data blob not null", "sync_id text not null",
                "discovered_at datetime not null"));
        TABLES.put("v1_sync_runs", List.of("id integer primary key", "sync_id text not null", "started_at datetime not null",
                "ended_at datetime", "sync_token text not null", "sync_type text not null default 'full'",
                "parent_sync_id text not null default ''", "linked_sync_id text not null default ''",
                "supports_diff integer not null default 0", "grants_backfilled integer not null default 0", "stats text",
                "ingest_invariant_generation text not null default ''", "ingest_invariant_coverage text not null default ''",
                "ingest_invariant_mode text not null default ''"));
        INDEXES.put("idx_assets_external_sync_v1", "unique v1_assets(external_id, sync_id)");
        INDEXES.put("idx_entitlements_external_sync_v1", "unique v1_entitlements(external_id, sync_id)");
        INDEXES.put("idx_entitlements_resource_id_v1", "v1_entitlements(resource_type_id, resource_id)");
        INDEXES.put("idx_grants_entitlement_id_principal_id_v1", "v1_grants(entitlement_id, principal_resource_type_id, principal_resource_id)");
        INDEXES.put("idx_grants_entitlement_sync_grant_v1", "v1_grants(entitlement_id, sync_id, id)");
        INDEXES.put("idx_grants_external_sync_v1", "unique v1_grants(external_id, sync_id)");
        INDEXES.put("idx_grants_principal_id_v1", "v1_grants(principal_resource_type_id, principal_resource_id)");
        INDEXES.put("idx_grants_resource_type_id_resource_id_v1", "v1_grants(resource_type_id, resource_id)");
        INDEXES.put("idx_grants_sync_expansion_v1", "v1_grants(sync_id) where expansion is not null");
        INDEXES.put("idx_grants_sync_needs_expansion_v1", "v1_grants(sync_id) where needs_expansion = 1");
        INDEXES.put("idx_resource_types_external_sync_v1", "unique v1_resource_types(external_id, sync_id)");
        INDEXES.put("idx_resources_external_sync_v1", "v1_resources(parent_resource_type_id, parent_resource_id)");
        INDEXES.put("idx_resources_parent_resource_id_v1", "unique v1_resources(external_id, sync_id)");
        INDEXES.put("idx_resources_resource_type_id_v1", "v1_resources(resource_type_id)");
        INDEXES.put("idx_session_store_sync_key_v1", "unique v1_connector_sessions(sync_id, key)");
        INDEXES.put("idx_sync_runs_sync_id_v1", "unique v1_sync_runs(sync_id)");
    }

    @TempDir
    Path dir;

    static ObjectNode scimUser(String id, boolean active) {
        ObjectNode u = JSON.createObjectNode().put("id", id).put("userName", id + "@example.com").put("active", active)
                .put("title", "Rep").put("userType", "Business");
        u.putObject("name").put("givenName", "Given" + id).put("familyName", "Family" + id);
        u.putArray("emails").addObject().put("value", id + "@example.com").put("primary", true);
        u.withArray("emails").addObject().put("value", id + "@alias.example.com");
        u.putObject("meta").put("created", "2024-01-25T02:16:45.5Z");
        return u;
    }

    static ObjectNode group(String id) {
        ObjectNode g = JSON.createObjectNode().put("id", id).put("displayName", "Group " + id);
        return GROUPS.group(g);
    }

    @Test
    void writesBatonsV1EnvelopeSchemaSyncRunAndRowsFromSeveralThreads() throws Exception {
        C1zSink sink = new C1zSink(dir.resolve("sync.c1z").toString());
        Instant started = Instant.parse("2026-03-01T10:00:00.120Z");
        SyncSink.Writer w = sink.open("2Sync0000000000000000000001", started);
        ObjectNode g = group("g1");
        w.resource(g);
        w.entitlement(GROUPS.member(g));
        int users = C1zDatabase.BATCH + 400; // more than one batch, so transactions commit while threads write
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = thread; i < users; i += 4) {
                    w.resourceJson(USERS.userJson(scimUser("u" + i, i % 7 != 0))); // as the sync writes users
                    w.grant(new BatonGrant(GroupResources.TYPE, "g1", "member", "u" + i));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        Path out = Path.of(w.commit(TYPES.resourceTypes(), started.plusSeconds(61)));

        assertThat(out).isEqualTo(dir.resolve("sync.c1z"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("sync.c1z");
        }
        try (C1zReader c1z = new C1zReader(out)) {
            assertThat(c1z.header).containsExactly('C', '1', 'Z', 'F', 0);
            byte[] sqlite = Files.readAllBytes(c1z.database);
            assertThat(new String(sqlite, 0, 16, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3\0");
            assertThat(sqlite[18]).as("rollback journal, not WAL").isEqualTo((byte) 1);
            assertThat(sqlite[19]).isEqualTo((byte) 1);

            assertThat(c1z.tables()).isEqualTo(TABLES);
            assertThat(c1z.indexes()).isEqualTo(INDEXES);

            List<Map<String, Object>> runs = c1z.rows("select * from v1_sync_runs");
            assertThat(runs).hasSize(1);
            Map<String, Object> run = runs.get(0);
            assertThat(run.get("sync_id")).isEqualTo("2Sync0000000000000000000001");
            assertThat(run.get("sync_type")).isEqualTo("full");
            assertThat(run.get("sync_token")).isEqualTo("");
            assertThat(run.get("parent_sync_id")).isEqualTo("");
            assertThat(run.get("grants_backfilled")).isEqualTo(1);
            assertThat(run.get("stats")).isNull();
            assertThat(run.get("started_at")).isEqualTo(localSeconds(started) + ".12");
            assertThat(run.get("ended_at")).isEqualTo(localSeconds(started.plusSeconds(61)) + ".12");

            assertThat(c1z.count("select count(*) from v1_resources")).isEqualTo(users + 1);
            assertThat(c1z.count("select count(*) from v1_grants")).isEqualTo(users);
            assertThat(c1z.count("select count(*) from v1_entitlements")).isEqualTo(1);
            assertThat(c1z.count("select count(*) from v1_resources where resource_type_id = 'user' and external_id = 'user:' || "
                    + "substr(external_id, 6) and parent_resource_type_id is null and parent_resource_id is null")).isEqualTo(users);
            assertThat(c1z.count("select count(*) from v1_grants where resource_type_id = 'group' and resource_id = 'g1' "
                    + "and entitlement_id = 'group:g1:member' and principal_resource_type_id = 'user' "
                    + "and external_id = 'group:g1:member:user:' || principal_resource_id and expansion is null and needs_expansion = 0"))
                    .isEqualTo(users);
            assertThat(c1z.count("select count(distinct sync_id) from (select sync_id from v1_resources union all select sync_id "
                    + "from v1_grants union all select sync_id from v1_entitlements union all select sync_id from v1_resource_types)"))
                    .isEqualTo(1);
            assertThat(c1z.rows("select discovered_at from v1_grants limit 1").get(0).get("discovered_at").toString())
                    .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d*[1-9])?");
            assertThat(c1z.rows("select external_id from v1_resource_types order by id")).extracting(r -> r.get("external_id"))
                    .containsExactly("user", "group", "role", "license");
            List<Resource> resources = c1z.messages("v1_resources", Resource.parser());
            assertThat(resources).filteredOn(r -> r.getId().getResourceType().equals("user")).hasSize(users);
            List<Grant> grants = c1z.messages("v1_grants", Grant.parser());
            assertThat(grants).allSatisfy(gr -> assertThat(gr.getId())
                    .isEqualTo(gr.getEntitlement().getId() + ":user:" + gr.getPrincipal().getId().getResource()));
        }
    }

    @Test
    void rowsCarryBatonsFieldNumbersOnTheWire() throws Exception {
        C1zSink sink = new C1zSink(dir.resolve("sync.c1z").toString());
        SyncSink.Writer w = sink.open("fields", Instant.now());
        w.resource(USERS.user(scimUser("7", false)));
        ObjectNode license = LICENSES.license("Business");
        w.resource(license);
        w.entitlement(LICENSES.assigned(license));
        w.grant(new BatonGrant(LicenseResources.TYPE, "Business", "assigned", "7"));
        Path out = Path.of(w.commit(TYPES.resourceTypes(), Instant.now()));
        try (C1zReader c1z = new C1zReader(out)) {
            UnknownFieldSet user = wire((byte[]) c1z.rows("select data from v1_resources where external_id = 'user:7'").get(0).get("data"));
            assertThat(string(wire(bytes(user, 1)), 1)).isEqualTo("user");                  // ResourceId.resource_type
            assertThat(string(wire(bytes(user, 1)), 2)).isEqualTo("7");                     // ResourceId.resource
            assertThat(string(user, 3)).isEqualTo("Given7 Family7");                        // display_name
            assertThat(varint(wire(bytes(user, 11)), 1)).as("Resource.status DISABLED").isEqualTo(2);
            assertThat(structKeys(bytes(user, 9))).contains("userName", "active", "title");   // profile Struct
            assertThat(wire(bytes(user, 12)).getField(1).getVarintList()).as("created_at seconds").containsExactly(1706149005L);
            UnknownFieldSet any = wire(bytes(user, 4));                                     // annotations[0]: Any
            assertThat(string(any, 1)).isEqualTo(UT + "UserTrait");
            UnknownFieldSet trait = wire(bytes(any, 2));
            List<ByteString> emails = trait.getField(1).getLengthDelimitedList();
            assertThat(emails).hasSize(2);
            assertThat(string(wire(emails.get(0).toByteArray()), 1)).isEqualTo("7@example.com");
            assertThat(varint(wire(emails.get(0).toByteArray()), 2)).as("is_primary").isEqualTo(1);
            assertThat(varint(wire(bytes(trait, 2)), 1)).as("UserTrait.status DISABLED").isEqualTo(2);
            assertThat(structKeys(bytes(trait, 3))).contains("userName");            // deprecated trait profile
            assertThat(varint(trait, 5)).as("account_type HUMAN").isEqualTo(1);
            assertThat(string(trait, 6)).as("login").isEqualTo("7@example.com");
            assertThat(string(wire(bytes(trait, 12)), 1)).as("structured_name.given_name").isEqualTo("Given7");

            UnknownFieldSet lic = wire((byte[]) c1z.rows("select data from v1_resources where external_id = 'license:Business'").get(0).get("data"));
            UnknownFieldSet licAny = wire(bytes(lic, 4));
            assertThat(string(licAny, 1)).isEqualTo(UT + "LicenseProfileTrait");
            assertThat(string(wire(bytes(licAny, 2)), 1)).as("license_name").isEqualTo("Business");
            assertThat(string(wire(bytes(licAny, 2)), 6)).as("entitlement_ids").isEqualTo("license:Business:assigned");

            UnknownFieldSet ent = wire((byte[]) c1z.rows("select data from v1_entitlements").get(0).get("data"));
            assertThat(string(ent, 2)).isEqualTo("license:Business:assigned");
            assertThat(string(ent, 8)).as("slug").isEqualTo("assigned");
            assertThat(varint(ent, 7)).as("purpose ASSIGNMENT").isEqualTo(1);
            assertThat(string(wire(bytes(wire(bytes(ent, 1)), 1)), 2)).as("resource.id.resource").isEqualTo("Business");
            UnknownFieldSet grantable = wire(bytes(ent, 5));
            assertThat(string(grantable, 1)).isEqualTo("user");
            assertThat(bytes(grantable, 3)).as("traits, packed").containsExactly(1);

            UnknownFieldSet grant = wire((byte[]) c1z.rows("select data from v1_grants").get(0).get("data"));
            assertThat(string(grant, 3)).isEqualTo("license:Business:assigned:user:7");
            assertThat(string(wire(bytes(grant, 1)), 2)).as("entitlement.id").isEqualTo("license:Business:assigned");
            assertThat(string(wire(bytes(wire(bytes(wire(bytes(grant, 1)), 1)), 1)), 1)).as("entitlement.resource.id.resource_type").isEqualTo("license");
            assertThat(string(wire(bytes(wire(bytes(grant, 2)), 1)), 2)).as("principal.id.resource").isEqualTo("7");

            UnknownFieldSet type = wire((byte[]) c1z.rows("select data from v1_resource_types where external_id = 'user'").get(0).get("data"));
            assertThat(string(type, 2)).isEqualTo("User");
            assertThat(bytes(type, 3)).containsExactly(1);
            assertThat(string(wire(bytes(type, 4)), 1)).isEqualTo(UT + "SkipEntitlementsAndGrants");
            UnknownFieldSet licenseType = wire((byte[]) c1z.rows("select data from v1_resource_types where external_id = 'license'").get(0).get("data"));
            assertThat(bytes(licenseType, 3)).as("TRAIT_LICENSE_PROFILE").containsExactly(10);
        }
    }

    @Test
    void aGrantBuiltDirectlyIsTheMessageItsJsonTreeParsesTo() {
        for (BatonGrant g : FileSinkTest.GRANTS) {
            assertThat(C1zMessages.grant(g)).isEqualTo(C1zMessages.grant(BATON.grant(g)));
            assertThat(C1zMessages.marshal(C1zMessages.grant(g))).isEqualTo(C1zMessages.marshal(C1zMessages.grant(BATON.grant(g))));
        }
    }

    @Test
    void aUserGivenAsJsonTextIsTheMessageOfItsTree() throws Exception {
        List<JsonNode> users = new ArrayList<>(List.of(scimUser("1", true), scimUser("2", false)));
        for (List<String> c : UserResourcesTest.USERS) {
            users.add(new ObjectMapper().readTree(c.get(0)));
        }
        for (JsonNode u : users) {
            Resource fromText = C1zMessages.resource(new String(USERS.userJson(u), StandardCharsets.UTF_8));
            assertThat(fromText).isEqualTo(C1zMessages.resource(USERS.user(u)));
            assertThat(fromText.getId().getResource()).isEqualTo(u.get("id").asText());
        }
    }

    @Test
    void marshallingIsDeterministicAlsoInsideAnnotations() {
        ObjectNode a = USERS.user(scimUser("1", true));
        ObjectNode b = a.deepCopy();
        // the same profile with its keys in reverse order, at resource level and inside the UserTrait Any
        for (ObjectNode profile : List.of((ObjectNode) b.get("profile"), (ObjectNode) b.get("annotations").get(0).get("profile"))) {
            List<String> keys = new ArrayList<>();
            profile.fieldNames().forEachRemaining(keys::add);
            ObjectNode copy = profile.deepCopy();
            profile.removeAll();
            for (int i = keys.size() - 1; i >= 0; i--) {
                profile.set(keys.get(i), copy.get(keys.get(i)));
            }
        }
        assertThat(b.toString()).isNotEqualTo(a.toString());
        byte[] first = C1zMessages.marshal(C1zMessages.resource(a));
        assertThat(C1zMessages.marshal(C1zMessages.resource(b))).isEqualTo(first);
        UnknownFieldSet wire = wire(first);
        assertThat(structKeys(bytes(wire, 9))).isSorted();
        assertThat(structKeys(bytes(wire(bytes(wire(bytes(wire, 4)), 2)), 3))).isSorted();
    }

    @Test
    void rowsPointingAtNothingAreLeftOut() throws Exception {
        C1zSink sink = new C1zSink(dir.resolve("sync.c1z").toString());
        SyncSink.Writer w = sink.open("integrity", Instant.now());
        ObjectNode g = group("g1");
        w.resource(g);
        w.entitlement(GROUPS.member(g));
        w.entitlement(GROUPS.member(group("never-written")));
        w.resource(USERS.user(scimUser("u1", true)));
        w.grant(new BatonGrant(GroupResources.TYPE, "g1", "member", "u1"));
        w.grant(new BatonGrant(GroupResources.TYPE, "g1", "member", "u1"));            // a repeat: one row
        w.grant(new BatonGrant(GroupResources.TYPE, "g1", "member", "ghost"));          // principal never written
        w.grant(new BatonGrant(GroupResources.TYPE, "never-written", "member", "u1"));  // entitlement dropped
        w.grant(new BatonGrant(RoleResources.TYPE, "r9", "assigned", "u1"));            // entitlement never written
        Path out = Path.of(w.commit(TYPES.resourceTypes(), Instant.now()));
        try (C1zReader c1z = new C1zReader(out)) {
            assertThat(c1z.rows("select external_id from v1_entitlements")).extracting(r -> r.get("external_id")).containsExactly("group:g1:member");
            assertThat(c1z.rows("select external_id from v1_grants")).extracting(r -> r.get("external_id")).containsExactly("group:g1:member:user:u1");
        }
    }

    @Test
    void aPartialSyncGoesBesideTheWholeTenantAndKeepsGrantsOfPrincipalsItDidNotRead() throws Exception {
        Path target = dir.resolve("sync.c1z");
        C1zSink sink = new C1zSink(new dev.batonseismic.config.SinkProperties("c1z", null,
                new dev.batonseismic.config.SinkProperties.C1z(target.toString())));
        SyncSink.Writer full = sink.open("whole", Instant.now());
        full.resource(USERS.user(scimUser("u1", true)));
        assertThat(full.commit(TYPES.resourceTypes(), Instant.now())).isEqualTo(target.toString());
        byte[] whole = Files.readAllBytes(target);

        SyncSink.Writer partial = sink.open("one-group", Instant.now(), SyncSink.PARTIAL);
        ObjectNode g = group("g1");
        partial.resource(g);
        partial.entitlement(GROUPS.member(g));
        partial.grant(new BatonGrant(GroupResources.TYPE, "g1", "member", "u1")); // u1 is in the whole tenant's file
        Path beside = dir.resolve("sync.partial.c1z");
        assertThat(partial.commit(TYPES.resourceTypes(), Instant.now())).isEqualTo(beside.toString());

        assertThat(Files.readAllBytes(target)).as("the whole tenant's file is left alone").isEqualTo(whole);
        try (C1zReader c1z = new C1zReader(beside)) {
            assertThat(c1z.rows("select sync_type from v1_sync_runs")).extracting(r -> r.get("sync_type")).containsExactly("partial");
            assertThat(c1z.rows("select external_id from v1_grants")).extracting(r -> r.get("external_id"))
                    .containsExactly("group:g1:member:user:u1");
        }
    }

    @Test
    void anAbortedSyncKeepsThePreviousFileAndLeftoversAreCleared() throws Exception {
        Path target = dir.resolve("sync.c1z");
        C1zSink sink = new C1zSink(target.toString());
        SyncSink.Writer good = sink.open("good", Instant.now());
        good.resource(USERS.user(scimUser("u1", true)));
        good.commit(TYPES.resourceTypes(), Instant.now());
        byte[] before = Files.readAllBytes(target);

        Files.writeString(dir.resolve(".sync.c1z-died.db"), "left by a dead process");
        Files.writeString(dir.resolve("unrelated.txt"), "kept");
        SyncSink.Writer bad = sink.open("bad", Instant.now());
        assertThat(dir.resolve(".sync.c1z-died.db")).doesNotExist();
        assertThat(dir.resolve(".sync.c1z-bad.db")).exists();
        bad.resource(USERS.user(scimUser("u2", true)));
        bad.abort();
        assertThatThrownBy(() -> bad.resource(USERS.user(scimUser("u3", true)))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already closed");
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("sync.c1z", "unrelated.txt");
        }
    }

    @Test
    void aRecordThatIsNotBatonsJsonIsRefusedClearly() throws Exception {
        SyncSink.Writer w = new C1zSink(dir.resolve("sync.c1z").toString()).open("bad-input", Instant.now());
        ObjectNode broken = USERS.user(scimUser("u1", true)).put("colour", "blue");
        assertThatThrownBy(() -> w.resource(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid c1.connector.v2.Resource").hasMessageContaining("colour");
        w.abort();
    }

    @Test
    void theReadmesInspectionScriptDecodesTheFile() throws Exception {
        for (String tool : List.of("/usr/bin/zstd", "/usr/bin/sqlite3")) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed here");
        }
        SyncSink.Writer w = new C1zSink(dir.resolve("sync.c1z").toString()).open("inspected", Instant.now());
        w.resource(USERS.user(scimUser("u1", false)));
        ObjectNode license = LICENSES.license("Premium");
        w.resource(license);
        w.entitlement(LICENSES.assigned(license));
        w.grant(new BatonGrant(LicenseResources.TYPE, "Premium", "assigned", "u1"));
        Path out = Path.of(w.commit(TYPES.resourceTypes(), Instant.now()));
        Process p = new ProcessBuilder("bash", "scripts/c1z-inspect.sh", out.toString(), "user:u1", "license:Premium",
                "license:Premium:assigned:user:u1").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("header: C 1 Z F \\0").contains("inspected  full")
                .contains("login: \"u1@example.com\"").contains("status: STATUS_DISABLED").contains("status: RESOURCE_STATUS_DISABLED")
                .contains("entitlement_ids: \"license:Premium:assigned\"").contains("id: \"license:Premium:assigned:user:u1\"");
    }

    @Test
    void timestampsAreLocalTextWithoutTrailingZeros() {
        Instant t = Instant.parse("2026-07-04T23:59:00Z");
        String seconds = localSeconds(t);
        assertThat(C1zDatabase.sqliteTime(t)).isEqualTo(seconds).hasSize(19);
        assertThat(C1zDatabase.sqliteTime(t.plusNanos(500_000_000))).isEqualTo(seconds + ".5");
        assertThat(C1zDatabase.sqliteTime(t.plusNanos(123_456_780))).isEqualTo(seconds + ".12345678");
        assertThat(C1zDatabase.sqliteTime(t.plusNanos(1))).isEqualTo(seconds + ".000000001");
    }

    /** Local wall-clock time to the second, written independently of the writer's formatting. */
    static String localSeconds(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(LocalDateTime.ofInstant(t, ZoneId.systemDefault()));
    }

    // ---- raw wire access, independent of the .proto files ----

    static UnknownFieldSet wire(byte[] bytes) {
        try {
            return UnknownFieldSet.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(UnknownFieldSet m, int field) {
        List<ByteString> values = m.getField(field).getLengthDelimitedList();
        assertThat(values).as("field " + field + " present once").hasSize(1);
        return values.get(0).toByteArray();
    }

    static String string(UnknownFieldSet m, int field) {
        return new String(bytes(m, field), java.nio.charset.StandardCharsets.UTF_8);
    }

    static long varint(UnknownFieldSet m, int field) {
        List<Long> values = m.getField(field).getVarintList();
        assertThat(values).as("field " + field + " present once").hasSize(1);
        return values.get(0);
    }

    /** The keys of a google.protobuf.Struct (field 1: map entries {1: key, 2: value}) in wire order. */
    static List<String> structKeys(byte[] struct) {
        List<String> keys = new ArrayList<>();
        for (ByteString entry : wire(struct).getField(1).getLengthDelimitedList()) {
            keys.add(string(wire(entry.toByteArray()), 1));
        }
        return keys;
    }
}
