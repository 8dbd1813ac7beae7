package dev.batonseismic.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** The REST API's error answers, {@code {"error": "…"}} as application/json: built as JSON, never by string interpolation. */
@Component("restErrors")
public class RestErrors {
    private static final int MAX_QUOTED = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code {"error": "no sync with id …"}} for the {@code id} path parameter. */
    public Map<String, String> syncNotFound(Exchange ex) {
        String id = ex.getMessage().getHeader("id", "", String.class);
        String shown = id.length() > MAX_QUOTED ? id.substring(0, MAX_QUOTED) + "…" : id;
        return Map.of("error", "no sync with id " + shown.replaceAll("\\p{Cntrl}", "?"));
    }

    /** {@code {"error": message}} as JSON text. */
    public static String body(String message) {
        try {
            return JSON.writeValueAsString(Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers {@code status} with {@code {"error": message}} (application/json, UTF-8); the response is committed. */
    public static void write(HttpServletResponse response, int status, String message) throws IOException {
        byte[] body = body(message).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IllegalStateException writerInUse) {
            response.getWriter().write(new String(body, StandardCharsets.UTF_8));
        }
        response.flushBuffer();
    }
}
