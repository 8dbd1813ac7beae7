package dev.batonseismic.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.emulator.HttpCall.Answer;

/** The SCIM v2 surface of Seismic: Users and Groups CRUD, the custom paged membership endpoints, and Schemas. */
final class ScimEndpoints {
    static final int DEFAULT_COUNT = 10;
    static final int MAX_COUNT = 100;

    private final TenantStore store;
    private final ScimCodec codec;

    ScimEndpoints(TenantStore store, ScimCodec codec) {
        this.store = store;
        this.codec = codec;
    }

    Answer handle(HttpCall call) {
        String[] s = call.segments(); // "", scim, v2, resource, id, sub, subId
        String resource = s.length > 3 ? s[3] : "";
        String m = call.method;
        switch (resource) {
            case "Users" -> {
                if (s.length == 4) {
                    return m.equals("GET") ? okRendered(codec.list(store.listUsers(ScimFilters.users(call.query.get("filter")),
                            startIndex(call), count(call)), codec::writeUser)) : m.equals("POST") ? createUser(call) : notAllowed(m);
                }
                String id = s[4];
                if (s.length == 5) {
                    return switch (m) {
                        case "GET" -> ok(store.withUser(id, codec::user));
                        case "PUT" -> ok(store.updateUser(id, u -> {
                            codec.applyFullUser(codec.parse(call.body), u, store::isValidRoleValue);
                            return codec.user(u);
                        }));
                        case "PATCH" -> {
                            JsonNode ops = ScimPatch.operations(codec.parse(call.body));
                            yield ok(store.updateUser(id, u -> {
                                ScimPatch.applyToUser(ops, u, codec, store::isValidRoleValue, store.now());
                                return codec.user(u);
                            }));
                        }
                        case "DELETE" -> {
                            store.deleteUser(id);
                            yield Answer.empty(204);
                        }
                        default -> notAllowed(m);
                    };
                }
                if (s[5].equals("Groups") && s.length == 6 && m.equals("GET")) {
                    return okRendered(codec.list(store.userGroups(id, startIndex(call), count(call)), codec::writeGroup));
                }
                if (s[5].equals("Groups") && s.length == 7) {
                    switch (m) {
                        case "POST" -> store.addMember(id, s[6]);
                        case "DELETE" -> store.removeMember(id, s[6]);
                        default -> {
                            return notAllowed(m);
                        }
                    }
                    return Answer.empty(204);
                }
            }
            case "Groups" -> {
                if (s.length == 4) {
                    return m.equals("GET") ? okRendered(codec.list(store.listGroups(ScimFilters.groups(call.query.get("filter")),
                            startIndex(call), count(call)), codec::writeGroup)) : m.equals("POST") ? createGroup(call) : notAllowed(m);
                }
                String id = s[4];
                if (s.length == 5) {
                    return switch (m) {
                        case "GET" -> ok(store.withGroup(id, codec::group));
                        case "PUT" -> ok(store.updateGroup(id, g -> {
                            ScimGroups.applyFullGroup(codec.parse(call.body), g);
                            return codec.group(g);
                        }));
                        case "PATCH" -> {
                            JsonNode ops = ScimPatch.operations(codec.parse(call.body));
                            yield ok(store.updateGroup(id, g -> {
                                ScimPatch.applyToGroup(ops, g);
                                return codec.group(g);
                            }));
                        }
                        case "DELETE" -> {
                            store.deleteGroup(id);
                            yield Answer.empty(204);
                        }
                        default -> notAllowed(m);
                    };
                }
                if (s.length == 6 && s[5].equals("Users") && m.equals("GET")) {
                    return okRendered(codec.list(store.groupMembers(id, startIndex(call), count(call)), codec::writeUser));
                }
            }
            case "Schemas" -> {
                if (s.length == 4 && m.equals("GET")) {
                    return ok(SchemaDocument.schemas(codec));
                }
            }
            default -> {
            }
        }
        throw new ScimError(404, null, "no SCIM endpoint " + m + " " + RequestLog.template(call.path));
    }

    private Answer createUser(HttpCall call) {
        JsonNode body = codec.parse(call.body);
        EmulatorUser u = new EmulatorUser(TenantStore.newId(), store.now());
        codec.applyFullUser(body, u, store::isValidRoleValue);
        store.createUser(u);
        return created(codec.user(u));
    }

    private Answer createGroup(HttpCall call) {
        JsonNode body = codec.parse(call.body);
        EmulatorGroup g = new EmulatorGroup(TenantStore.newId(), null, store.now());
        ScimGroups.applyFullGroup(body, g);
        store.createGroup(g);
        return created(codec.group(g));
    }

    private Answer created(ObjectNode resource) {
        Answer a = ok(resource);
        a = Answer.of(201, a.contentType(), a.body());
        a.headers().put("Location", resource.path("meta").path("location").asText());
        return a;
    }

    private static Answer ok(ObjectNode node) {
        return okRendered(node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Answer okRendered(byte[] json) {
        return Answer.of(200, SeismicEmulator.SCIM_JSON, json);
    }

    private static Answer notAllowed(String method) {
        throw new ScimError(405, null, "method " + method + " is not allowed here");
    }

    /** startIndex: 1-based, default 1, values below 1 count as 1. */
    static int startIndex(HttpCall call) {
        return Math.max(1, intParam(call, "startIndex", 1));
    }

    /** count: default 10, capped at 100, negative counts as 0 (totals only). */
    static int count(HttpCall call) {
        return Math.min(MAX_COUNT, Math.max(0, intParam(call, "count", DEFAULT_COUNT)));
    }

    private static int intParam(HttpCall call, String name, int fallback) {
        String v = call.query.get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(v.trim());
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parsed));
        } catch (NumberFormatException e) {
            throw ScimError.invalidValue(name + " must be an integer, got " + v);
        }
    }
}
