package dev.batonseismic.seismic;

/** A Seismic API call failed for good: a non-retryable answer, or retries used up. */
public class SeismicApiException extends RuntimeException {
    private final int status;

    public SeismicApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status of the last answer, 0 when the connection itself failed. */
    public int status() {
        return status;
    }
}
