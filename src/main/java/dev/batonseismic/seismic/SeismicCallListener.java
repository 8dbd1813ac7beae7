package dev.batonseismic.seismic;

/** Told about every Seismic API call an exchange makes (a sync counts its calls and 429s this way, and collects warnings). */
public interface SeismicCallListener {
    String PROPERTY = "seismicCallListener";

    void callMade();

    void rateLimited();

    /** Something the caller should report without failing (e.g. a listing that changed while it was read). */
    default void warning(String message) {
    }
}
