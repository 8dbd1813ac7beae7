package dev.batonseismic.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code GET /scim/v2/Schemas}: core User and Group, the enterprise extension, and the tenant's SeismicUser properties. */
final class SchemaDocument {
    private SchemaDocument() {}

    static ObjectNode schemas(ScimCodec codec) {
        ObjectNode list = codec.tree(codec.list(new TenantStore.Page<>(0, 1, java.util.List.of()), (g, x) -> { }));
        ArrayNode resources = list.putArray("Resources");
        schema(resources, ScimCodec.USER_SCHEMA, "User", "userName", "name.givenName", "name.familyName", "title",
                "userType", "preferredLanguage", "timezone", "active", "emails", "roles");
        schema(resources, ScimCodec.GROUP_SCHEMA, "Group", "displayName", "externalId");
        schema(resources, ScimCodec.ENTERPRISE, "EnterpriseUser", "department", "costCenter", "organization");
        schema(resources, ScimCodec.SEISMIC, "SeismicUser", "Country", "Employee_ID");
        list.put("totalResults", resources.size());
        list.put("itemsPerPage", resources.size());
        return list;
    }

    private static void schema(ArrayNode resources, String id, String name, String... attributes) {
        ObjectNode s = resources.addObject();
        s.put("id", id);
        s.put("name", name);
        ArrayNode attrs = s.putArray("attributes");
        for (String a : attributes) {
            attrs.addObject().put("name", a).put("type", "string").put("mutability", "readWrite");
        }
    }
}
