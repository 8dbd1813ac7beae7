package dev.batonseismic.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Every refusal under {@code /api/**} in the API's own shape, {@code {"error": "…"}} as application/json: what Spring
 * Security (401, 403), Spring MVC (404, 405, 413, 415) and the firewall (400) answer with {@code sendError} is written
 * here as that JSON instead of going to Spring Boot's error page ({@code timestamp}, {@code status}, {@code path}), and
 * a failure nothing handled is a 500 with a JSON error. Each message starts with the status's reason phrase and
 * quotes a caller's value only shortened ({@link RestErrors#shorten}). Registered ahead of Spring Security, for
 * {@code /api/*}; Hawtio and the actuator keep Spring Boot's answers.
 */
public class ApiErrorFilter extends HttpFilter {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorFilter.class);

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        JsonErrors answer = new JsonErrors(request, response);
        try {
            chain.doFilter(request, answer);
        } catch (IOException | ServletException | RuntimeException e) {
            if (response.isCommitted() || answer.sent) {
                throw e;
            }
            log.error("{} {} failed", request.getMethod(), RestErrors.shorten(request.getRequestURI()), e);
            response.resetBuffer();
            RestErrors.write(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                    "Internal Server Error: the request failed; the connector's log has the cause");
        }
    }

    /** The JSON error for a status that Spring or Tomcat would have turned into an error page. */
    static String message(int status, HttpServletRequest request, HttpServletResponse response) {
        HttpStatus known = HttpStatus.resolve(status);
        String reason = known == null ? "HTTP " + status : known.getReasonPhrase();
        String path = RestErrors.shorten(request.getRequestURI());
        String detail = switch (status) {
            case 400 -> "the request is malformed";
            case 401 -> "send the credentials of a connector user (HTTP basic) or an API key (Authorization: Bearer <key>)";
            case 403 -> "these credentials may not do this (writes need the admin or api role; replaying dead letters needs admin)";
            case 404 -> "nothing at " + path + " (GET /api/v1/openapi.json describes the API)";
            case 405 -> RestErrors.shorten(request.getMethod()) + " is not served at " + path
                    + (response.getHeader("Allow") == null ? "" : "; allowed: " + response.getHeader("Allow"));
            case 406 -> "the API answers application/json";
            case 413 -> "the request is too large";
            case 415 -> "send the body as application/json"
                    + (request.getContentType() == null ? " (the request has no Content-Type)" : ", not " + RestErrors.shorten(request.getContentType()));
            case 503 -> "try again in a moment";
            default -> null;
        };
        return detail == null ? reason : reason + ": " + detail;
    }

    /** The response as the rest of the chain sees it: {@code sendError} writes the JSON error instead of an error page. */
    static final class JsonErrors extends HttpServletResponseWrapper {
        private final HttpServletRequest request;
        /** An error was written: what the chain writes after it is dropped, as after a real {@code sendError}. */
        volatile boolean sent;

        JsonErrors(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        @Override
        public void sendError(int sc) throws IOException {
            sendError(sc, null);
        }

        @Override
        public void sendError(int sc, String ignored) throws IOException {
            // the message Spring or Tomcat passes is not shown: it may quote the caller at any length, or internals
            HttpServletResponse response = (HttpServletResponse) getResponse();
            if (response.isCommitted() || sent) {
                response.sendError(sc); // IllegalStateException, as the servlet API wants
                return;
            }
            response.resetBuffer();
            sent = true;
            RestErrors.write(response, sc, message(sc, request, response));
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return sent ? Discard.STREAM : super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            return sent ? new PrintWriter(OutputStream.nullOutputStream()) : super.getWriter();
        }

        @Override
        public void setStatus(int sc) {
            if (!sent) {
                super.setStatus(sc);
            }
        }
    }

    /** Where writes after an error go. */
    private static final class Discard extends ServletOutputStream {
        static final Discard STREAM = new Discard();

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            try {
                listener.onWritePossible();
            } catch (IOException e) {
                listener.onError(e);
            }
        }

        @Override
        public void write(int b) {
            // dropped
        }
    }
}
