package dev.batonseismic.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.buf.MessageBytes;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error page for requests it refuses before any filter or servlet sees them (an encoded {@code /} or
 * {@code \} in the URL, headers over the size limit): under {@code /api/**} the API's JSON error, elsewhere Tomcat's
 * HTML page as before. Replaces the host's {@link ErrorReportValve} (see {@link ApiErrorsConfiguration}).
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        if (!RestErrors.isApiPath(rawPath(request))) {
            super.report(request, response, throwable);
            return;
        }
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(RestErrors.body(message(status)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the answer was started: nothing more to say
        }
    }

    static String message(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        String reason = known == null ? "HTTP " + status : known.getReasonPhrase();
        return status == 400
                ? reason + ": the server refused the request before the API saw it: a URL with an encoded '/' or '\\', "
                        + "or headers over the size limit"
                : reason;
    }

    /** The request's path as sent (not decoded), or null when Tomcat could not read it. */
    private static String rawPath(Request request) {
        MessageBytes uri = request.getCoyoteRequest().requestURI();
        return uri == null || uri.isNull() ? null : uri.toString();
    }
}
