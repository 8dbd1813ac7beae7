package dev.batonseismic.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Viewers may look but not touch: Jolokia {@code exec} and {@code write} requests (starting and stopping routes,
 * changing attributes) need the admin role. Reads (including Hawtio's bulk POSTs of reads) pass.
 */
final class JolokiaWriteGuard extends OncePerRequestFilter {
    private final String adminRole;
    private final ObjectMapper json = new ObjectMapper();

    JolokiaWriteGuard(String adminRole) {
        this.adminRole = "ROLE_" + adminRole;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().contains("/jolokia");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        boolean admin = auth != null && auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(adminRole));
        if (admin) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getRequestURI().toLowerCase(Locale.ROOT);
        if (path.contains("/jolokia/exec/") || path.contains("/jolokia/write/")) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Jolokia writes need the admin role");
            return;
        }
        if (!"POST".equalsIgnoreCase(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        if (writes(body)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Jolokia writes need the admin role");
            return;
        }
        chain.doFilter(new CachedBody(request, body), response);
    }

    private boolean writes(byte[] body) {
        try {
            JsonNode n = json.readTree(body);
            if (n == null) {
                return false;
            }
            for (JsonNode r : n.isArray() ? n : json.createArrayNode().add(n)) {
                String type = r.path("type").asText("").toLowerCase(Locale.ROOT);
                if (type.equals("exec") || type.equals("write")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true; // unreadable: refuse rather than guess
        }
    }

    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read() {
                    return in.read();
                }
            };
        }
    }
}
