package dev.batonseismic.sync;

/** A sync request that cannot be taken: malformed (400, the default) or refused in this state (409); the message says why. */
public class SyncRequestException extends RuntimeException {
    private final int status;

    public SyncRequestException(String message) {
        this(400, message);
    }

    public SyncRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status of the REST answer. */
    public int status() {
        return status;
    }
}
