package dev.batonseismic.seismic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ResourceFieldsTest {
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode read(String body, String fields) throws IOException {
        try (JsonParser parser = json.getFactory().createParser(body)) {
            parser.nextToken();
            JsonNode tree = new ResourceFields(fields).read(json, parser);
            assertThat(parser.nextToken()).isNull();
            return tree;
        }
    }

    @Test
    void keepsTheTopLevelAndOnlyTheNamedFieldsOfEachRecord() throws IOException {
        JsonNode page = read("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":3,"startIndex":1,
                 "itemsPerPage":3,"Resources":[
                  {"id":"u1","userName":"a@x","name":{"givenName":"A","familyName":"B"},"emails":[{"value":"a@x"}]},
                  {"userName":"no-id","roles":[{"value":"Admin"}]},
                  {"id":"u3","meta":{"created":"2024-01-01T00:00:00Z","id":"m"},"manager":{"id":"u1"},"x":[[{"id":1}]],"id2":"x"}]}""", "id");
        assertThat(page.get("totalResults").asInt()).isEqualTo(3);
        assertThat(page.get("schemas").get(0).asText()).endsWith("ListResponse");
        assertThat(page.get("Resources")).hasSize(3);
        assertThat(page.get("Resources").get(0).toString()).isEqualTo("{\"id\":\"u1\"}");
        assertThat(page.get("Resources").get(1).toString()).isEqualTo("{}"); // kept: the reader names the record without an id
        assertThat(page.get("Resources").get(2).toString()).isEqualTo("{\"id\":\"u3\"}");
        assertThat(read("{\"totalResults\":0,\"Resources\":[]}", "id").get("Resources")).isEmpty();
        assertThat(read("{\"totalResults\":1,\"Resources\":[\"u1\",null],\"x\":{\"Resources\":[{\"y\":1}]}}", "id").toString())
                .isEqualTo("{\"totalResults\":1,\"Resources\":[\"u1\",null],\"x\":{\"Resources\":[{\"y\":1}]}}");
        assertThat(read("[{\"id\":\"u1\",\"y\":2}]", "id").toString()).isEqualTo("[{\"id\":\"u1\",\"y\":2}]");
        assertThat(read("{\"Resources\":[{\"id\":\"g\",\"displayName\":\"G\",\"x\":1}]}", "id, displayName")
                .get("Resources").get(0).toString()).isEqualTo("{\"id\":\"g\",\"displayName\":\"G\"}");
    }

    @Test
    void stillReadsThroughTheSkippedFieldsSoABrokenBodyIsNoticed() {
        assertThatThrownBy(() -> read("{\"totalResults\":2,\"Resources\":[{\"id\":\"u1\",\"name\":{\"givenName\":\"A\"", "id"))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> read("{\"totalResults\":2,\"Resources\":[{\"id\":\"u1\",\"emails\":[{\"value\":}]}]}", "id"))
                .isInstanceOf(JsonProcessingException.class);
    }
}
