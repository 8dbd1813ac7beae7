package dev.batonseismic.web;

import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** JSON error bodies of the REST routes that quote a caller's value: built as JSON, never by string interpolation. */
@Component("restErrors")
public class RestErrors {
    private static final int MAX_QUOTED = 120;

    /** {@code {"error": "no sync with id …"}} for the {@code id} path parameter. */
    public Map<String, String> syncNotFound(Exchange ex) {
        String id = ex.getMessage().getHeader("id", "", String.class);
        String shown = id.length() > MAX_QUOTED ? id.substring(0, MAX_QUOTED) + "…" : id;
        return Map.of("error", "no sync with id " + shown.replaceAll("\\p{Cntrl}", "?"));
    }
}
