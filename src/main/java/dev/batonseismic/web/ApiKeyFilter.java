package dev.batonseismic.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** {@code Authorization: Bearer <key>} with a configured API key authenticates as that key's name and roles; a wrong key is a 401. */
final class ApiKeyFilter extends OncePerRequestFilter {
    private final List<AccessProperties.ApiKey> keys;

    ApiKeyFilter(List<AccessProperties.ApiKey> keys) {
        this.keys = keys.stream().filter(k -> k.key() != null && !k.key().isBlank()).toList();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            AccessProperties.ApiKey match = keys.stream()
                    .filter(k -> MessageDigest.isEqual(presented, k.key().getBytes(StandardCharsets.UTF_8)))
                    .findFirst().orElse(null);
            if (match == null) {
                RestErrors.write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized: unknown API key");
                return;
            }
            var auth = new UsernamePasswordAuthenticationToken(match.name(), null,
                    match.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList());
            SecurityContextHolder.getContext().setAuthentication(auth);
        }
        chain.doFilter(request, response);
    }
}
