package dev.batonseismic.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.model.BatonGrant;
import java.time.Instant;
import java.util.List;
import org.springframework.core.annotation.AnnotationUtils;

/** Where a sync's records go. A sync opens one writer, streams records into it, then commits or aborts it. */
public interface SyncSink {

    /** The {@code sink.type} ({@code SINK_TYPE}) value that selects this sink: its class's {@link SinkType}. */
    default String type() {
        return AnnotationUtils.findAnnotation(getClass(), SinkType.class).value();
    }

    /** A writer for a full sync. */
    default Writer open(String syncId, Instant startedAt) {
        return open(syncId, startedAt, FULL);
    }

    /**
     * A writer for a sync of baton's {@code syncType}: {@value #FULL}, {@value #PARTIAL} (some resource types, or no
     * grants) or {@value #RESOURCES_ONLY} (no entitlements or grants), as baton-sdk's connectorstore names them.
     */
    Writer open(String syncId, Instant startedAt, String syncType);

    String FULL = "full";
    String PARTIAL = "partial";
    String RESOURCES_ONLY = "resources_only";

    /** Receives records as they are read; thread-safe. Nothing is visible to readers before {@link #commit}. */
    interface Writer {
        void resource(ObjectNode resource);

        /** A resource as its protobuf JSON text (UTF-8), the form users come in ({@code BatonRecords.userJson}). */
        void resourceJson(byte[] resource);

        void entitlement(ObjectNode entitlement);

        void grant(BatonGrant grant);

        /**
         * Publishes the sync atomically and returns where it went: an absolute path, or where an uploading sink put
         * it (e.g. {@code c1:task/<id>}).
         */
        String commit(List<ObjectNode> resourceTypes, Instant endedAt);

        /** Drops everything written; the last good result stays as it was. */
        void abort();
    }
}
