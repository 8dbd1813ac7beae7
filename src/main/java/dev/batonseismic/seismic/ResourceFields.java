package dev.batonseismic.seismic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * Reads a SCIM ListResponse keeping every top-level field but only the named fields of each {@code Resources} record,
 * so a group's member pages (full user records) are read as their ids without building a tree of every attribute.
 * The skipped fields are still read through token by token, so a broken body is still noticed. Records keep their
 * place even when none of the fields is present.
 */
final class ResourceFields {
    private final Set<String> fields;

    /** {@code fields}: comma-separated, e.g. "id" or "id, displayName". */
    ResourceFields(String fields) {
        this.fields = Set.of(fields.replace(" ", "").split(","));
    }

    /** The document at the parser's current token (its first), with only the named fields of each record. */
    JsonNode read(ObjectMapper json, JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return json.readTree(parser); // not a ListResponse: as it is, for the page reader to refuse
        }
        ObjectNode page = json.createObjectNode();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            if (parser.nextToken() == JsonToken.START_ARRAY && "Resources".equals(name)) {
                ArrayNode records = page.putArray(name);
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    records.add(parser.currentToken() == JsonToken.START_OBJECT ? record(json, parser) : json.readTree(parser));
                }
            } else {
                page.set(name, json.readTree(parser));
            }
        }
        return page;
    }

    private ObjectNode record(ObjectMapper json, JsonParser parser) throws IOException {
        ObjectNode record = json.createObjectNode();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            parser.nextToken();
            if (fields.contains(name)) {
                record.set(name, json.readTree(parser));
            } else {
                parser.skipChildren();
            }
        }
        return record;
    }
}
