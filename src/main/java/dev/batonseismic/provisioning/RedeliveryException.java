package dev.batonseismic.provisioning;

/** Ends a Kafka exchange on purpose so the consumer reads the record again: Seismic is unavailable, the request waits. */
public class RedeliveryException extends RuntimeException {
    public RedeliveryException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected outcome, not a program error
    }
}
