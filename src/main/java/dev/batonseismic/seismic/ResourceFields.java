package dev.batonseismic.seismic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import java.util.Set;

/**
 * A Jackson token filter for a SCIM ListResponse that keeps every top-level field but only the named fields of each
 * {@code Resources} record, so a group's member pages (full user records) are read as their ids without building a
 * tree of every attribute. Records keep their place even when none of the fields is present.
 */
final class ResourceFields extends TokenFilter {
    private final Record record;

    private ResourceFields(Set<String> fields) {
        this.record = new Record(fields);
    }

    /** {@code raw}, reading only {@code fields} (comma-separated) of each SCIM record. */
    static JsonParser filter(JsonParser raw, String fields) {
        Set<String> names = Set.of(fields.replace(" ", "").split(","));
        return new FilteringParserDelegate(raw, new ResourceFields(names), Inclusion.INCLUDE_ALL_AND_PATH, true);
    }

    @Override
    public TokenFilter includeProperty(String name) {
        return "Resources".equals(name) ? new Records(record) : TokenFilter.INCLUDE_ALL;
    }

    @Override
    protected boolean _includeScalar() {
        return true;
    }

    /** The Resources array: each element is a record. */
    private static final class Records extends TokenFilter {
        private final Record record;

        Records(Record record) {
            this.record = record;
        }

        @Override
        public TokenFilter includeElement(int index) {
            return record;
        }

        @Override
        public boolean includeEmptyArray(boolean contentsFiltered) {
            return true;
        }
    }

    /** One record: only the named fields. */
    private static final class Record extends TokenFilter {
        private final Set<String> fields;

        Record(Set<String> fields) {
            this.fields = fields;
        }

        @Override
        public TokenFilter includeProperty(String name) {
            return fields.contains(name) ? TokenFilter.INCLUDE_ALL : null;
        }

        @Override
        public boolean includeEmptyObject(boolean contentsFiltered) {
            return true;
        }
    }
}
