package dev.batonseismic.seismic;

/** Seismic refused to authenticate the connector; retrying will not help until the configuration changes. */
public class SeismicAuthException extends RuntimeException {
    public SeismicAuthException(String message) {
        super(message);
    }
}
