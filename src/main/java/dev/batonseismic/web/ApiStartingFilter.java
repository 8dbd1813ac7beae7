package dev.batonseismic.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.camel.ServiceStatus;

/**
 * The REST API is Camel's (platform-http routes): Tomcat's port opens before the CamelContext has started them, and
 * stays open after they stop at shutdown. Until the routes run (and once they no longer do), every {@code /api/**}
 * call answers 503 with {@code Retry-After} and a JSON error, not a 404 that looks like a missing endpoint.
 * Registered ahead of every other filter (Spring Security included), for {@code /api/*}.
 */
public class ApiStartingFilter extends HttpFilter {
    /** Seconds a caller is asked to wait; the routes start within a second or two of the port opening. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final Supplier<ServiceStatus> camel;
    private volatile boolean closing;

    /** @param camel the CamelContext's status (null while there is no CamelContext yet) */
    public ApiStartingFilter(Supplier<ServiceStatus> camel) {
        this.camel = camel;
    }

    /** The application is closing: the routes are about to stop, and no longer "starting". */
    public void closing() {
        closing = true;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ServiceStatus status = camel.get();
        if (status != null && status.isStarted()) {
            chain.doFilter(request, response);
            return;
        }
        String why;
        if (closing) {
            why = "the connector is shutting down: try again in a moment (another replica may answer)";
        } else if (status != null && (status.isSuspending() || status.isSuspended())) {
            why = "the connector's routes are suspended: try again once they are resumed";
        } else {
            why = "the connector is starting: try again in a moment";
        }
        response.setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        RestErrors.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, why);
    }
}
