package dev.batonseismic.sync;

/** A malformed {@code POST /api/v1/syncs} (answered 400 with the message). */
public class SyncRequestException extends RuntimeException {
    public SyncRequestException(String message) {
        super(message);
    }
}
