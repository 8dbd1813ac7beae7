package dev.batonseismic.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One incoming request, read fully, and the answer the emulator gives to it. */
final class HttpCall {
    final String method;
    final String path;
    final String rawQuery;
    final Map<String, String> query;
    final byte[] body;
    private final HttpExchange exchange;

    HttpCall(HttpExchange exchange) throws IOException {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        this.path = exchange.getRequestURI().getRawPath();
        this.rawQuery = exchange.getRequestURI().getRawQuery();
        this.query = decodeForm(rawQuery);
        try (var in = exchange.getRequestBody()) {
            this.body = in.readAllBytes();
        }
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    String[] segments() {
        return path.split("/");
    }

    static Map<String, String> decodeForm(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** An answer: status, content type (null for none), body, extra headers. */
    record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Answer empty(int status) {
            return new Answer(status, null, new byte[0], new LinkedHashMap<>());
        }

        static Answer of(int status, String contentType, byte[] body) {
            return new Answer(status, contentType, body, new LinkedHashMap<>());
        }
    }
}
