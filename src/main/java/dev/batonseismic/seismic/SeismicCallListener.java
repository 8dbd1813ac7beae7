package dev.batonseismic.seismic;

/** Told about every Seismic API call an exchange makes (a sync counts its calls and 429s this way). */
public interface SeismicCallListener {
    String PROPERTY = "seismicCallListener";

    void callMade();

    void rateLimited();
}
