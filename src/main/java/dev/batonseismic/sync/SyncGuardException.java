package dev.batonseismic.sync;

/** The safety guard refused to publish a sync: a guarded count dropped too far against the last good sync. */
public class SyncGuardException extends RuntimeException {
    public SyncGuardException(String message) {
        super(message);
    }
}
