package dev.batonseismic.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The REST API's error answers, {@code {"error": "…"}} as application/json, built as JSON, never by string
 * interpolation; and the one way a caller's value is quoted back in any error message ({@link #shorten}).
 */
@Component("restErrors")
public class RestErrors {
    /** Longest piece of a caller's value quoted back in an error message. */
    public static final int MAX_QUOTED = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code {"error": "no sync with id …"}} for the {@code id} path parameter. */
    public Map<String, String> syncNotFound(Exchange ex) {
        String id = ex.getMessage().getHeader("id", "", String.class);
        return Map.of("error", "no sync with id " + shorten(id));
    }

    /** {@code {"error": "internal error: …"}} for a failure a REST route did not expect: its message, shortened. */
    public Map<String, String> internalError(Exchange ex) {
        Exception e = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return Map.of("error", "internal error: " + shorten(e == null ? "" : String.valueOf(e.getMessage())));
    }

    /**
     * A caller's value as an error message may quote it: cut after {@value #MAX_QUOTED} characters (saying how long it
     * was), control characters replaced by {@code ?}.
     */
    public static String shorten(String value) {
        if (value == null) {
            return "";
        }
        String v = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "… (" + value.length() + " characters)" : value;
        return v.replaceAll("\\p{Cntrl}", "?");
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

    /** Whether the request is for the REST API ({@code /api} and below), judged on the raw request URI. */
    public static boolean isApi(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (uri == null) {
            return false;
        }
        if (context != null && !context.isEmpty() && uri.startsWith(context)) {
            uri = uri.substring(context.length());
        }
        return isApiPath(uri);
    }

    /** Whether a path (without the context path) is {@code /api} or below it. */
    public static boolean isApiPath(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/") || path.startsWith("/api;"));
    }
}
