package dev.batonseismic.c1;

/**
 * Getting a ConductorOne token failed: the credentials were rejected (fix the Secret), or C1 could not be reached
 * (retried with a backoff). The message names the cause and never holds a secret or a token.
 */
public class C1Exception extends RuntimeException {
    private final boolean rejected;

    C1Exception(String message, boolean rejected, Throwable cause) {
        super(message, cause);
        this.rejected = rejected;
    }

    /** True when ConductorOne refused the credentials (as opposed to being unreachable). */
    public boolean rejected() {
        return rejected;
    }
}
