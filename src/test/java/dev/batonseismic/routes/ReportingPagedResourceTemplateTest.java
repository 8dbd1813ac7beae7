package dev.batonseismic.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.batonseismic.config.SyncProperties;
import dev.batonseismic.routes.SeismicApiStub.Answer;
import dev.batonseismic.routes.SeismicApiStub.Call;
import dev.batonseismic.seismic.ReportingPageReader;
import dev.batonseismic.seismic.SeismicApiException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The {@code reporting-paged-resource} template of routes/sync-templates.yaml on its own, and the model to copy when you
 * edit a template: a plain Camel context (no Spring) loads the template file, the bean the template calls is registered
 * with settings given here, {@code direct:seismic-api-call} is answered from fixture pages ({@link SeismicApiStub}),
 * an instance is added with {@code addRouteFromTemplate} as routes/resource-roles.yaml adds the role catalog, and one
 * start exchange goes in. Each test asserts the exact calls made to Seismic and what the page handler and the
 * forbidden handler (mock endpoints) received.
 * <p>
 * Settings: 3 records per page ({@code sync.reporting-page-size}).
 */
class ReportingPagedResourceTemplateTest extends TemplateTestSupport {
    // cron, onStartup, scheduled, pageSize, concurrency, progressEveryPages, history, reportingPageSize, listingPasses,
    // maxDropPercent, resourceTypes, skipGrants, skipEntitlementsAndGrants: here reporting page size 3
    static final SyncProperties SYNC = new SyncProperties(null, false, false, 2, 2, 1, 10, 3, 3, 10, List.of(), List.of(), false, false, false);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/reporting/v2/entitlementRoles";


    /** A context with the templates, the bean they call, and Seismic answering from {@code tenant}; started. */
    void start(Function<Call, Answer> tenant) throws Exception {
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addInitialProperty("sync.reporting-page-size", String.valueOf(SYNC.reportingPageSize()));
        camel.getRegistry().bind("reportingPage", new ReportingPageReader(SYNC));
        loadTemplates();
        seismic = new SeismicApiStub(tenant).addTo(camel);
        camel.start();
    }

    /** Reads the role catalog as routes/resource-roles.yaml does; returns the exchange the listing ended with. */
    Exchange listRoles() throws Exception {
        camel.addRouteFromTemplate("roles-fetch", "reporting-paged-resource", Map.of(
                "name", "roles-fetch", "path", PATH, "pageHandler", "mock:roles-page", "forbiddenHandler", "mock:roles-forbidden"));
        return camel.createProducerTemplate().send("direct:roles-fetch", ex -> { });
    }

    static List<String> roles(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "r" + i).toList();
    }

    /** A page of the reporting API as Seismic sends it, a flat JSON array, for the limit/offset the call asked for. */
    static Answer reportingPage(List<String> ids, Call call) {
        int from = Math.min(call.param("offset"), ids.size());
        int to = Math.min(from + call.param("limit"), ids.size());
        ArrayNode page = JSON.createArrayNode();
        for (String id : ids.subList(from, to)) {
            page.addObject().put("id", id).put("name", "Role " + id).put("isDeleted", false);
        }
        return new Answer(200, page.toString());
    }

    @Test
    void sevenRolesAtThreePerPageAreReadInThreeCallsUntilTheShortPage() throws Exception {
        start(call -> reportingPage(roles(7), call));

        Exchange done = listRoles();

        assertThat(done.getException()).isNull();
        assertThat(seismic.calls()).extracting(Call::path).containsOnly(PATH);
        assertThat(seismic.queries()).containsExactly("limit=3&offset=0", "limit=3&offset=3", "limit=3&offset=6");
        assertThat(SeismicApiStub.pages(mock("mock:roles-page"))).containsExactly(List.of("r1", "r2", "r3"), List.of("r4", "r5", "r6"), List.of("r7"));
        assertThat(mock("mock:roles-forbidden").getReceivedCounter()).isZero();
        assertThat(done.getProperties()).as("the accepted 403 is not left for the caller's next call").doesNotContainKey("seismicAccept");
    }

    @Test
    void aListThatFillsItsLastPageTakesOneMoreCallAndHandsOnAnEmptyPage() throws Exception {
        start(call -> reportingPage(roles(6), call));

        listRoles();

        assertThat(seismic.queries()).containsExactly("limit=3&offset=0", "limit=3&offset=3", "limit=3&offset=6");
        assertThat(SeismicApiStub.pages(mock("mock:roles-page"))).containsExactly(List.of("r1", "r2", "r3"), List.of("r4", "r5", "r6"), List.of());
    }

    @Test
    void anEmptyListTakesOneCallAndHandsOnOneEmptyPage() throws Exception {
        start(call -> new Answer(200, "[]"));

        Exchange done = listRoles();

        assertThat(done.getException()).isNull();
        assertThat(seismic.queries()).containsExactly("limit=3&offset=0");
        assertThat(SeismicApiStub.pages(mock("mock:roles-page"))).containsExactly(List.of());
    }

    @Test
    void a403GoesToTheForbiddenHandlerOnceInsteadOfAnyPage() throws Exception {
        start(call -> new Answer(403, "{\"message\":\"The token lacks seismic.reporting\"}"));

        Exchange done = listRoles();

        assertThat(done.getException()).as("a 403 is the template's to handle").isNull();
        assertThat(seismic.calls()).hasSize(1);
        assertThat(mock("mock:roles-forbidden").getReceivedCounter()).isEqualTo(1);
        assertThat(mock("mock:roles-forbidden").getReceivedExchanges().get(0).getProperty("seismicStatus")).isEqualTo(403);
        assertThat(mock("mock:roles-page").getReceivedCounter()).isZero();
        assertThat(done.getProperties()).doesNotContainKey("seismicAccept");
    }

    @Test
    void anErrorAnswerFailsTheListingWithSeismicsMessageAfterThePagesBeforeIt() throws Exception {
        start(call -> call.param("offset") == 3
                ? new Answer(500, "{\"message\":\"Internal error\"}")
                : reportingPage(roles(7), call));

        Exchange done = listRoles();

        assertThat(done.getException()).isInstanceOf(SeismicApiException.class)
                .hasMessage("Seismic failed GET " + PATH + " 1 times; last: HTTP 500: Internal error");
        assertThat(seismic.queries()).containsExactly("limit=3&offset=0", "limit=3&offset=3");
        assertThat(SeismicApiStub.pages(mock("mock:roles-page"))).containsExactly(List.of("r1", "r2", "r3"));
        assertThat(mock("mock:roles-forbidden").getReceivedCounter()).isZero();
    }

    @Test
    void a404IsNotAcceptedAndFailsTheListing() throws Exception {
        start(call -> new Answer(404, "{\"message\":\"Not found\"}"));

        Exchange done = listRoles();

        assertThat(done.getException()).isInstanceOf(SeismicApiException.class)
                .hasMessage("Seismic answered HTTP 404 to GET " + PATH + ": Not found");
        assertThat(mock("mock:roles-forbidden").getReceivedCounter()).isZero();
        assertThat(mock("mock:roles-page").getReceivedCounter()).isZero();
    }

    @Test
    void aBodyThatIsNotAJsonArrayFailsTheListing() throws Exception {
        start(call -> new Answer(200, "{\"items\":[]}"));

        Exchange done = listRoles();

        assertThat(done.getException()).isInstanceOf(SeismicApiException.class)
                .hasMessageContaining(PATH + " as something other than a JSON array");
        assertThat(seismic.calls()).hasSize(1);
        assertThat(mock("mock:roles-page").getReceivedCounter()).isZero();
    }
}
