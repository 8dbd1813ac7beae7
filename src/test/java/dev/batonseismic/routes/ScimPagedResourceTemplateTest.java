package dev.batonseismic.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.config.SyncProperties;
import dev.batonseismic.routes.SeismicApiStub.Answer;
import dev.batonseismic.routes.SeismicApiStub.Call;
import dev.batonseismic.seismic.ScimPageReader;
import dev.batonseismic.seismic.SeismicApiException;
import dev.batonseismic.seismic.SeismicCallListener;
import dev.batonseismic.sync.SyncConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The {@code scim-paged-resource} template of routes/sync-templates.yaml on its own, and the model to copy when you edit a
 * template: a plain Camel context (no Spring) loads the template file, the beans the template calls are registered
 * with settings given here, {@code direct:seismic-api-call} is answered from fixture pages ({@link SeismicApiStub}),
 * an instance is added with {@code addRouteFromTemplate}, and one start exchange goes in. Each test asserts the exact
 * calls made to Seismic and the records the page handler (a mock endpoint) received.
 * <p>
 * Settings: 2 records per page, 2 pages at a time (so a batch of 8 pages after the first), 3 passes at most.
 */
class ScimPagedResourceTemplateTest extends TemplateTestSupport {
    // cron, onStartup, scheduled, pageSize, concurrency, progressEveryPages, history, reportingPageSize, listingPasses,
    // maxDropPercent, resourceTypes, skipGrants, skipEntitlementsAndGrants: here page size 2, concurrency 2, listing passes 3
    static final SyncProperties SYNC = new SyncProperties(null, false, false, 2, 2, 1, 10, 3, 3, 10, List.of(), List.of(), false, false, false);
    static final ObjectMapper JSON = new ObjectMapper();

    final AtomicInteger pagesFetched = new AtomicInteger();
    final List<String> warnings = new CopyOnWriteArrayList<>();

    /** The {@code syncs} bean as the template uses it: told of every page read (a sync counts them, and may refuse one). */
    public class Syncs {
        public void pageFetched() {
            pagesFetched.incrementAndGet();
        }
    }

    /** A {@code syncs} bean whose sync was stopped: it refuses the next page, as SyncRegistry does. */
    public static class StoppedSync {
        public void pageFetched() {
            throw new IllegalStateException("the sync was stopped");
        }
    }

    /** A context with the templates, the beans they call, and Seismic answering from {@code tenant}; started. */
    void start(Function<Call, Answer> tenant, Object syncs) throws Exception {
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addInitialProperty("sync.page-size", String.valueOf(SYNC.pageSize()));
        camel.getPropertiesComponent().addInitialProperty("sync.concurrency", String.valueOf(SYNC.concurrency()));
        camel.getRegistry().bind("scimPage", new ScimPageReader(SYNC));
        camel.getRegistry().bind("syncs", syncs);
        new SyncConfiguration().syncThreadPools(SYNC).beforeApplicationStart(camel); // the syncPool thread pool
        loadTemplates();
        seismic = new SeismicApiStub(tenant).addTo(camel);
        camel.start();
    }

    void start(Function<Call, Answer> tenant) throws Exception {
        start(tenant, new Syncs());
    }

    /** Lists users as routes/resource-users.yaml does, into mock:users-page; returns the exchange the listing ended with. */
    Exchange listUsers() throws Exception {
        camel.addRouteFromTemplate("users-fetch", "scim-paged-resource", Map.of(
                "name", "users-fetch", "resource", "users", "path", "/scim/v2/Users", "pageHandler", "mock:users-page"));
        return send("direct:users-fetch", Map.of());
    }

    Exchange send(String uri, Map<String, Object> properties) {
        SeismicCallListener listener = new SeismicCallListener() {
            @Override
            public void callMade() {
            }

            @Override
            public void rateLimited() {
            }

            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
        return camel.createProducerTemplate().send(uri, ex -> {
            properties.forEach(ex::setProperty);
            ex.setProperty(SeismicCallListener.PROPERTY, listener);
        });
    }

    static List<String> records(MockEndpoint handler) {
        return SeismicApiStub.pages(handler).stream().flatMap(List::stream).toList();
    }

    static List<String> users(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "u" + i).toList();
    }

    /** A SCIM ListResponse page of {@code ids} as Seismic sends it, for the startIndex/count the call asked for. */
    static Answer scimPage(List<String> ids, Call call) {
        int from = Math.min(call.param("startIndex") - 1, ids.size());
        int to = Math.min(from + call.param("count"), ids.size());
        ObjectNode page = JSON.createObjectNode();
        page.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:ListResponse");
        page.put("totalResults", ids.size());
        page.put("startIndex", call.param("startIndex"));
        page.put("itemsPerPage", to - from);
        ArrayNode resources = page.putArray("Resources");
        for (String id : ids.subList(from, to)) {
            ObjectNode user = resources.addObject();
            user.put("id", id);
            user.put("userName", id + "@example.com");
            user.put("active", true);
        }
        return new Answer(200, page.toString());
    }

    static Answer scimError(int status, String detail) {
        return new Answer(status, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"status\":\"" + status
                + "\",\"detail\":\"" + detail + "\"}");
    }

    @Test
    void fiveUsersAtTwoPerPageAreReadInThreeCallsTheFirstAloneAndEachUserIsHandedOnOnce() throws Exception {
        start(call -> scimPage(users(5), call));

        Exchange done = listUsers();

        assertThat(done.getException()).isNull();
        assertThat(seismic.calls()).extracting(Call::path).containsOnly("/scim/v2/Users");
        assertThat(seismic.queries().get(0)).as("the first page, alone").isEqualTo("startIndex=1&count=2");
        assertThat(seismic.queries()).containsExactlyInAnyOrder("startIndex=1&count=2", "startIndex=3&count=2", "startIndex=5&count=2");
        assertThat(SeismicApiStub.pages(mock("mock:users-page"))).containsExactlyInAnyOrder(List.of("u1", "u2"), List.of("u3", "u4"), List.of("u5"));
        assertThat(pagesFetched).as("syncs.pageFetched, once per page").hasValue(3);
        assertThat(warnings).isEmpty();
        assertThat(done.getProperties()).as("what a call accepts is not left for the caller's next call")
                .doesNotContainKeys("seismicAccept", "seismicResourceFields");
    }

    @Test
    void thePagesAfterTheFirstAreReadInBatchesOfEightAtMostTwoAtATime() throws Exception {
        // a page after the first is answered once another call is in flight beside it (or after 300 ms alone: the last
        // of a batch may have none), so the calls the syncPool lets run side by side do overlap, and no more can join
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        start(call -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                if (call.param("startIndex") > 1) {
                    try {
                        Awaitility.await().atMost(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(5)).until(() -> inFlight.get() >= 2);
                    } catch (ConditionTimeoutException alone) {
                        // no partner came: answer anyway; mostInFlight says what happened
                    }
                }
                return scimPage(users(21), call);
            } finally {
                inFlight.decrementAndGet();
            }
        });

        listUsers();

        // 11 pages: the first alone, then a batch of 8 (4 x sync.concurrency), then the last 2
        List<Integer> starts = seismic.calls().stream().map(c -> c.param("startIndex")).toList();
        assertThat(starts).hasSize(11);
        assertThat(starts.get(0)).isEqualTo(1);
        assertThat(starts.subList(1, 9)).containsExactlyInAnyOrder(3, 5, 7, 9, 11, 13, 15, 17);
        assertThat(starts.subList(9, 11)).containsExactlyInAnyOrder(19, 21);
        assertThat(mostInFlight).as("calls at a time: the syncPool's sync.concurrency threads").hasValue(2);
        assertThat(records(mock("mock:users-page"))).containsExactlyInAnyOrderElementsOf(users(21));
    }

    @Test
    void anEmptyListTakesOneCallAndHandsOnOneEmptyPage() throws Exception {
        // SCIM may leave Resources out when there are none
        start(call -> new Answer(200, "{\"totalResults\":0,\"itemsPerPage\":0,\"startIndex\":1}"));

        Exchange done = listUsers();

        assertThat(done.getException()).isNull();
        assertThat(seismic.queries()).containsExactly("startIndex=1&count=2");
        assertThat(SeismicApiStub.pages(mock("mock:users-page"))).containsExactly(List.of());
    }

    @Test
    void aPageThatComesBackShortInTheMiddleHasItsMissingRecordsAskedForAgain() throws Exception {
        // the tenant answers at most one record from startIndex 3 (a server-side cap), two everywhere else
        start(call -> call.param("startIndex") == 3
                ? scimPage(users(5), new Call(call.number(), call.path(), "startIndex=3&count=1"))
                : scimPage(users(5), call));

        listUsers();

        assertThat(seismic.queries()).containsExactlyInAnyOrder(
                "startIndex=1&count=2", "startIndex=3&count=2", "startIndex=5&count=2", "startIndex=4&count=1");
        assertThat(records(mock("mock:users-page"))).containsExactlyInAnyOrderElementsOf(users(5));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aListThatChangesWhileItIsReadIsReadAgainAndOnlyTheRecordsItMissedAreHandedOn() throws Exception {
        // u2 is deleted right after the first page: u3 moves onto the first page, already read, and the pass misses it
        List<String> tenant = new CopyOnWriteArrayList<>(users(5));
        start(call -> {
            Answer page = scimPage(List.copyOf(tenant), call);
            if (call.number() == 1) {
                tenant.remove("u2");
            }
            return page;
        });

        listUsers();

        // pass 1: pages 1, 3, 5 (totalResults 5, then 4: the re-check fails); pass 2: pages 1, 3 of the 4 left
        assertThat(seismic.queries()).hasSize(5);
        assertThat(seismic.queries().subList(0, 3)).containsExactlyInAnyOrder("startIndex=1&count=2", "startIndex=3&count=2", "startIndex=5&count=2");
        assertThat(seismic.queries().subList(3, 5)).containsExactlyInAnyOrder("startIndex=1&count=2", "startIndex=3&count=2");
        assertThat(records(mock("mock:users-page"))).containsExactlyInAnyOrder("u1", "u2", "u4", "u5", "u3");
        assertThat(warnings).singleElement().asString().contains("changed while it was read: read 2 times, 1 record(s) found only by a later pass");
    }

    @Test
    void aListThatKeepsChangingFailsTheListingAfterTheLastPass() throws Exception {
        // a user is created after each pass's first page: every pass sees two totals
        List<String> tenant = new CopyOnWriteArrayList<>(users(5));
        start(call -> {
            Answer page = scimPage(List.copyOf(tenant), call);
            if (call.param("startIndex") == 1) {
                tenant.add("u" + (tenant.size() + 1));
            }
            return page;
        });

        Exchange done = listUsers();

        assertThat(done.getException()).as("the re-check's own failure, after the split").isInstanceOf(SeismicApiException.class)
                .hasMessageContaining("the listing /scim/v2/Users kept changing while it was read (3 passes");
        assertThat(seismic.queries()).filteredOn("startIndex=1&count=2"::equals).as("one first page per pass").hasSize(3);
    }

    @Test
    void anErrorAnswerFailsTheListingWithSeismicsMessageAndNothingIsHandedOn() throws Exception {
        start(call -> scimError(500, "Internal error"));

        Exchange done = listUsers();

        assertThat(done.getException()).as("the split wraps a page's failure; the sync reads its cause")
                .rootCause().isInstanceOf(SeismicApiException.class)
                .hasMessage("Seismic failed GET /scim/v2/Users 1 times; last: HTTP 500: Internal error");
        assertThat(seismic.calls()).hasSize(1);
        assertThat(mock("mock:users-page").getReceivedCounter()).isZero();
    }

    @Test
    void anErrorOnALaterPageFailsTheListingAndNoFurtherPassIsMade() throws Exception {
        start(call -> call.param("startIndex") == 3 ? scimError(403, "Forbidden") : scimPage(users(5), call));

        Exchange done = listUsers();

        assertThat(done.getException()).as("the split wraps a page's failure; the sync reads its cause")
                .rootCause().isInstanceOf(SeismicApiException.class)
                .hasMessage("Seismic answered HTTP 403 to GET /scim/v2/Users: Forbidden");
        assertThat(seismic.calls()).as("pages 1, 3 and (in parallel with 3) at most 5; no second pass").hasSizeBetween(2, 3);
        assertThat(records(mock("mock:users-page"))).contains("u1", "u2").doesNotContain("u3", "u4");
    }

    @Test
    void aPageWithoutTotalResultsFailsTheListing() throws Exception {
        start(call -> new Answer(200, "{\"Resources\":[{\"id\":\"u1\"}]}"));

        Exchange done = listUsers();

        assertThat(done.getException()).as("the split wraps a page's failure; the sync reads its cause")
                .rootCause().isInstanceOf(SeismicApiException.class)
                .hasMessageContaining("a SCIM page without totalResults/Resources for /scim/v2/Users");
        assertThat(mock("mock:users-page").getReceivedCounter()).isZero();
    }

    @Test
    void aPageTheSyncRefusesEndsTheListingWithTheSyncsReason() throws Exception {
        start(call -> scimPage(users(5), call), new StoppedSync());

        Exchange done = listUsers();

        assertThat(done.getException()).rootCause().isInstanceOf(IllegalStateException.class).hasMessage("the sync was stopped");
        assertThat(seismic.calls()).hasSize(1);
        assertThat(mock("mock:users-page").getReceivedCounter()).isZero();
    }

    @Test
    void aGroupsMembersAreListedAtItsPathWithOnlyTheirIdsAndA404EndsTheListingEmpty() throws Exception {
        start(call -> call.path().endsWith("/g1/Users") ? scimPage(users(3), call) : scimError(404, "Group not found"));
        // as routes/resource-groups.yaml lists a group's members
        camel.addRouteFromTemplate("members-fetch", "scim-paged-resource", Map.of(
                "name", "members-fetch", "resource", "group-members", "path", "/scim/v2/Groups/${exchangeProperty.groupId}/Users",
                "pageHandler", "mock:members-page", "acceptStatus", "404", "resourceFields", "id"));

        Exchange g1 = send("direct:members-fetch", Map.of("groupId", "g1"));
        assertThat(g1.getException()).isNull();
        assertThat(seismic.calls()).extracting(Call::path).containsOnly("/scim/v2/Groups/g1/Users");
        assertThat(seismic.calls()).hasSize(2);
        assertThat(mock("mock:members-page").getReceivedExchanges())
                .flatExtracting(ex -> ex.getMessage().getBody(List.class))
                .containsExactlyInAnyOrder(JSON.readTree("{\"id\":\"u1\"}"), JSON.readTree("{\"id\":\"u2\"}"), JSON.readTree("{\"id\":\"u3\"}"));

        mock("mock:members-page").reset();
        Exchange gone = send("direct:members-fetch", Map.of("groupId", "g2"));
        assertThat(gone.getException()).as("a 404 is the reader's to handle: the group was deleted").isNull();
        assertThat(seismic.calls()).hasSize(3).last().extracting(Call::path).isEqualTo("/scim/v2/Groups/g2/Users");
        assertThat(SeismicApiStub.pages(mock("mock:members-page"))).containsExactly(List.of());
    }
}
