package dev.batonseismic.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batonseismic.model.BatonGrant;
import java.time.Instant;
import java.util.List;

/** Where a sync's records go. A sync opens one writer, streams records into it, then commits or aborts it. */
public interface SyncSink {

    /** The {@code sink.type} ({@code SINK_TYPE}) value that selects this sink. */
    String type();

    Writer open(String syncId, Instant startedAt);

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
