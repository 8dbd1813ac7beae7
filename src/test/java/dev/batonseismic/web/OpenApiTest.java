package dev.batonseismic.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.ConnectorTestSupport;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.Model;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/** The OpenAPI document matches the REST routes: every documented path answers, every REST route is documented. */
class OpenApiTest extends ConnectorTestSupport {
    @Autowired
    TestRestTemplate anonymous;

    @Autowired
    CamelContext camel;

    @Test
    void documentAndRoutesAgree() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(anonymous.getForObject("/api/v1/openapi.json", String.class));
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.at("/info/title").asText()).isEqualTo("Seismic connector");
        Set<String> documented = new HashSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));

        Set<String> routes = new HashSet<>();
        for (RestDefinition rest : camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
            rest.getVerbs().forEach(v -> routes.add(v.asVerb().toUpperCase(Locale.ROOT) + " " + rest.getPath() + (v.getPath() == null ? "" : v.getPath())));
        }
        assertThat(documented).isEqualTo(routes).contains("POST /api/v1/syncs", "GET /api/v1/syncs/{id}", "POST /api/v1/provisioning");
        JsonNode force = null;
        for (JsonNode p : doc.at("/paths/~1api~1v1~1syncs/post/parameters")) {
            force = p.path("name").asText().equals("force") ? p : force;
        }
        assertThat(force).as("POST /api/v1/syncs documents ?force").isNotNull();
        assertThat(force.path("in").asText()).isEqualTo("query");
        assertThat(force.at("/schema/type").asText()).isEqualTo("boolean");
        assertThat(doc.at("/paths/~1api~1v1~1syncs/post/responses/400").isMissingNode()).isFalse();

        TestRestTemplate admin = anonymous.withBasicAuth(ADMIN, ADMIN_PASSWORD);
        HttpHeaders json = new HttpHeaders();
        json.setContentType(MediaType.APPLICATION_JSON);
        for (String call : documented) {
            String[] parts = call.split(" ", 2);
            String path = parts[1].replace("{id}", "no-such-sync");
            var answer = admin.exchange(path, HttpMethod.valueOf(parts[0]), new HttpEntity<>(parts[0].equals("POST") ? "{}" : null, json), String.class);
            assertThat(answer.getStatusCode().value()).as(call + " " + answer.getBody()).isNotIn(405, 500)
                    .satisfiesAnyOf(s -> assertThat(s).isLessThan(300), s -> assertThat(answer.getBody()).startsWith("{"));
        }
    }
}
