package dev.batonseismic.emulator;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * SCIM filters as Seismic documents them: {@code attr eq "v"} and {@code attr co "v"} on a fixed attribute list.
 * Parsing is UnboundID's scim2-sdk; the emulator then refuses what Seismic does not document
 * (other operators, and/or/not, unknown attributes) with 400 invalidFilter.
 */
final class ScimFilters {
    private ScimFilters() {}

    /** Filterable user attributes (lower-case path → values of a user). */
    static final Map<String, Function<EmulatorUser, List<Object>>> USER_ATTRIBUTES = Map.of(
            "username", u -> List.of(u.userName),
            "name.givenname", u -> listOf(u.givenName),
            "name.familyname", u -> listOf(u.familyName),
            "title", u -> listOf(u.title),
            "usertype", u -> listOf(u.userType),
            "preferredlanguage", u -> listOf(u.preferredLanguage),
            "active", u -> List.of(u.active),
            "emails", u -> u.emails.stream().map(e -> (Object) e.value()).toList(),
            "emails.value", u -> u.emails.stream().map(e -> (Object) e.value()).toList(),
            "externalid", u -> listOf(u.externalId));

    static final Map<String, Function<EmulatorGroup, List<Object>>> GROUP_ATTRIBUTES = Map.of(
            "displayname", g -> List.of(g.displayName),
            "externalid", g -> listOf(g.externalId));

    static Predicate<EmulatorUser> users(String filter) {
        return compile(filter, USER_ATTRIBUTES);
    }

    static Predicate<EmulatorGroup> groups(String filter) {
        return compile(filter, GROUP_ATTRIBUTES);
    }

    private static <T> Predicate<T> compile(String text, Map<String, Function<T, List<Object>>> attributes) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Filter filter;
        try {
            filter = Filter.fromString(text);
        } catch (BadRequestException e) {
            throw ScimError.invalidFilter("filter " + text + " is not valid: " + e.getMessage());
        }
        FilterType type = filter.getFilterType();
        if (type != FilterType.EQUAL && type != FilterType.CONTAINS) {
            throw ScimError.invalidFilter("operator " + type.getStringValue() + " is not supported: use eq or co");
        }
        String path = filter.getAttributePath().toString().toLowerCase(Locale.ROOT);
        Function<T, List<Object>> attribute = attributes.get(path);
        if (attribute == null) {
            throw ScimError.invalidFilter("attribute " + filter.getAttributePath() + " is not filterable");
        }
        var value = filter.getComparisonValue();
        if (type == FilterType.CONTAINS && !value.isTextual()) {
            throw ScimError.invalidFilter("co needs a string value");
        }
        boolean contains = type == FilterType.CONTAINS;
        return resource -> attribute.apply(resource).stream().anyMatch(actual -> matches(actual, value, contains));
    }

    private static boolean matches(Object actual, com.fasterxml.jackson.databind.JsonNode expected, boolean contains) {
        if (actual instanceof Boolean b) {
            return expected.isBoolean() && b == expected.asBoolean();
        }
        String a = Objects.toString(actual).toLowerCase(Locale.ROOT);
        String e = expected.asText().toLowerCase(Locale.ROOT);
        return contains ? a.contains(e) : a.equals(e);
    }

    private static List<Object> listOf(Object value) {
        return value == null ? List.of() : List.of(value);
    }
}
