package dev.batonseismic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedProcessorMBean;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.OutputNode;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.TryDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The guard for edits by integration teams: the YAML routes in routes/ load, with the ids the product relies on, and
 * every step Hawtio's route diagram shows is named (no bean20, to7: each node and its statistics say what it does).
 */
class RoutesLoadTest extends ConnectorTestSupport {
    static final List<String> EXPECTED = List.of(
            "seismic-api-call",
            "sync-request", "sync-run", "sync-roles-fetch",
            "sync-users-fetch", "sync-groups-fetch", "sync-group-members-fetch",
            "sync-users-page", "sync-groups-page", "sync-group-members-page",
            "sync-target-get", "sync-user-target", "sync-group-target",
            "trigger-schedule-cron", "trigger-schedule-startup",
            "rest-syncs-start", "rest-syncs-list", "rest-syncs-get", "syncs-start", "syncs-list", "syncs-get",
            "roles-catalog-fetch", "roles-catalog-page", "roles-catalog-unavailable",
            "provisioning", "provisioning-queued", "provisioning-dead-letter", "provisioning-group-membership",
            "provisioning-user-groups-fetch", "provisioning-user-groups-page", "provisioning-role-change",
            "provisioning-license-refuse", "provisioning-account-create", "provisioning-user-delete",
            "rest-provisioning-request", "provisioning-rest", "rest-openapi",
            "rest-dead-letters-count", "rest-dead-letters-replay", "dead-letters-count", "dead-letters-replay", "trigger-kafka-provisioning", "trigger-jms-provisioning",
            "rest-seismic-delegation-callback", "seismic-delegation-callback",
            "c1-connect", "c1-poll", "c1-hello", "c1-get-task", "c1-sync-queue", "c1-task-queue", "c1-task", "c1-task-sync-full",
            "c1-task-provisioning", "c1-task-hello", "c1-task-unsupported", "c1-finish", "c1-heartbeat", "c1-heartbeat-send",
            "rest-c1-status", "c1-status");

    @Autowired
    CamelContext camel;

    @Test
    void expectedRoutesAreLoadedFromTheRoutesDirectory() {
        List<String> ids = camel.getRoutes().stream().map(Route::getRouteId).toList();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(EXPECTED);
        // REST verbs (and the OpenAPI route) carry their description on the REST definition, other routes on the route
        assertThat(camel.getRoutes()).filteredOn(r -> !r.getEndpoint().getEndpointUri().matches("rest(-api)?:.*"))
                .allSatisfy(r -> assertThat(r.getDescription()).as(r.getRouteId()).isNotBlank());
        assertThat(camel.getRoute("sync-run").getSourceResource().getLocation()).contains("routes").endsWith("sync-run.yaml");
    }

    /**
     * Every node of every route (its from, each step, when/otherwise, doCatch/doFinally, onException) has an id, so
     * Hawtio's diagram and statistics name it (Camel itself refuses to start when two routes' steps share one). Not the
     * REST DSL's generated parts: a REST verb's input (rest:post:...) and the OpenAPI route, which no YAML spells out.
     * A route configuration's onException steps are one set of definitions every route using it shares, ids and all:
     * checked once, under the configuration's id.
     */
    @Test
    void everyStepHasAnId() {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> unnamed = new ArrayList<>();
        for (RouteConfigurationDefinition configuration : model.getRouteConfigurationDefinitions()) {
            configuration.getOnExceptions().forEach(step -> walk(configuration.getId(), step, seen, unnamed));
            configuration.getOnCompletions().forEach(step -> walk(configuration.getId(), step, seen, unnamed));
        }
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if (route.getInput().getEndpointUri().startsWith("rest-api:")) {
                continue; // the OpenAPI document's route, made whole by the REST DSL
            }
            if (!route.isCreatedFromRest()) {
                check(route.getRouteId(), route.getInput(), unnamed);
            }
            route.getOutputs().forEach(step -> walk(route.getRouteId(), step, seen, unnamed));
        }
        assertThat(unnamed).as("steps without an id (Hawtio would show bean20, to7 ...)").isEmpty();
    }

    /**
     * A route made from a template names its steps with the template's plain ids behind its own prefix (prefixId:
     * routeId-), so the instances' steps stay apart in the processor MBeans and Hawtio's statistics. (Route dumps, and
     * so Hawtio's diagram, show the plain ids with the route's nodePrefixId.)
     */
    @Test
    void templatedRoutesPrefixTheirStepsWithTheRouteId() {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        List<RouteDefinition> templated = model.getRouteDefinitions().stream().filter(RouteDefinition::isCreatedFromTemplate).toList();
        // every templatedRoute of routes/ (the four resource files have five), each one of EXPECTED's ids
        assertThat(templated).extracting(RouteDefinition::getRouteId).hasSizeGreaterThanOrEqualTo(5)
                .contains("sync-users-fetch", "roles-catalog-fetch").allMatch(EXPECTED::contains);
        List<String> wrong = new ArrayList<>();
        for (RouteDefinition route : templated) {
            String prefix = route.getRouteId() + "-";
            if (!prefix.equals(route.getNodePrefixId())) {
                wrong.add(route.getRouteId() + ": prefixId is " + route.getNodePrefixId() + ", not " + prefix);
                continue;
            }
            List<OptionalIdentifiedDefinition<?>> steps = new ArrayList<>();
            route.getOutputs().stream().filter(step -> !(step instanceof OnExceptionDefinition)).forEach(step -> collect(step, steps));
            for (OptionalIdentifiedDefinition<?> step : steps) {
                if (!(step instanceof ProcessorDefinition<?>)) {
                    continue; // when/otherwise are not processors: no MBean, no statistics of their own
                }
                // the processor's id, which its MBean and Hawtio's statistics go by, is prefix + the template's id
                ManagedProcessorMBean processor = managed.getManagedProcessor(prefix + step.getId());
                if (!prefix.equals(step.getNodePrefixId()) || processor == null || !route.getRouteId().equals(processor.getRouteId())) {
                    wrong.add(route.getRouteId() + ": " + node(step) + " is not the processor " + prefix + step.getId());
                }
            }
        }
        assertThat(wrong).as("templated routes' steps without their instance's prefix").isEmpty();
    }

    private static void walk(String routeId, OptionalIdentifiedDefinition<?> node, Set<Object> seen, List<String> unnamed) {
        if (!seen.add(node)) {
            return; // a route configuration's step, checked with its configuration
        }
        check(routeId, node, unnamed);
        children(node).forEach(child -> walk(routeId, child, seen, unnamed));
    }

    /** The nodes inside a node: its steps; a choice's when/otherwise, a doTry's doCatch/doFinally besides. */
    private static List<OptionalIdentifiedDefinition<?>> children(OptionalIdentifiedDefinition<?> node) {
        List<OptionalIdentifiedDefinition<?>> children = new ArrayList<>();
        if (node instanceof ChoiceDefinition choice) {
            children.addAll(choice.getWhenClauses());
            if (choice.getOtherwise() != null) {
                children.add(choice.getOtherwise());
            }
            return children;
        }
        if (node instanceof ProcessorDefinition<?> step) {
            children.addAll(step.getOutputs());
        } else if (node instanceof OutputNode block) {
            children.addAll(block.getOutputs());
        }
        if (node instanceof TryDefinition doTry) {
            children.removeAll(doTry.getCatchClauses());
            children.addAll(doTry.getCatchClauses());
            if (doTry.getFinallyClause() != null) {
                children.remove(doTry.getFinallyClause());
                children.add(doTry.getFinallyClause());
            }
        }
        return children;
    }

    private static void collect(OptionalIdentifiedDefinition<?> node, List<OptionalIdentifiedDefinition<?>> into) {
        into.add(node);
        children(node).forEach(child -> collect(child, into));
    }

    private static void check(String routeId, OptionalIdentifiedDefinition<?> node, List<String> unnamed) {
        if (!node.hasCustomIdAssigned()) {
            unnamed.add(routeId + ": " + node(node) + " has no id");
        }
    }

    /** A node as the failure names it: {@code to[direct:x] (sync-run.yaml:12)}. */
    private static String node(OptionalIdentifiedDefinition<?> node) {
        String label = node instanceof FromDefinition from ? from.getEndpointUri() : node.getLabel();
        String name = label.startsWith(node.getShortName() + "[") ? label : node.getShortName() + "[" + label + "]";
        String location = node.getLocation();
        return location == null || node.getLineNumber() < 0 ? name
                : name + " (" + location.substring(location.lastIndexOf('/') + 1) + ":" + node.getLineNumber() + ")";
    }
}
