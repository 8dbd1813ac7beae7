package dev.batonseismic.routes;

import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;

/** What a route template test needs around its template: a plain Camel context, the templates loaded, the stub. */
abstract class TemplateTestSupport {
    DefaultCamelContext camel;
    SeismicApiStub seismic;

    /** Loads routes/sync-templates.yaml, and routes/errors.yaml for the {@code inner-steps} route configuration. */
    void loadTemplates() throws Exception {
        var loader = PluginHelper.getResourceLoader(camel);
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                loader.resolveResource("file:routes/sync-templates.yaml"),
                loader.resolveResource("file:routes/errors.yaml"));
    }

    MockEndpoint mock(String uri) {
        return camel.getEndpoint(uri, MockEndpoint.class);
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }
}
