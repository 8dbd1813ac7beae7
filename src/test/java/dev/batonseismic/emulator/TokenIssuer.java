package dev.batonseismic.emulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seismic's token endpoint, {@code POST /tenants/{tenant}/connect/token}, for the client-credentials-with-user-delegation
 * flow ({@code grant_type=delegation}), and the bearer-token check of the API.
 */
final class TokenIssuer {
    record Issued(String tenant, String clientId, String userId, Set<String> scopes, Instant expiresAt) {}

    /** An OAuth2 error answer: HTTP status, error code, description. */
    record OAuthError(int status, String error, String description) {}

    private final EmulatorSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final Set<String> everIssued = ConcurrentHashMap.newKeySet();

    TokenIssuer(EmulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Returns the token response fields, or throws {@link OAuthErrorException}. */
    Map<String, Object> issue(String tenant, Map<String, String> form, String basicAuthorization) {
        String clientId = form.get("client_id");
        String clientSecret = form.get("client_secret");
        boolean basic = basicAuthorization != null;
        if (basic) {
            String[] pair = decodeBasic(basicAuthorization);
            clientId = pair[0];
            clientSecret = pair[1];
        }
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isBlank()) {
            throw error(400, "invalid_request", "grant_type is required");
        }
        if (clientId == null || clientSecret == null) {
            throw error(basic ? 401 : 400, "invalid_client", "client authentication is required");
        }
        if (!settings.tenant.equals(tenant) || !settings.clientId.equals(clientId)
                || !settings.clientSecret.equals(clientSecret) || !settings.clientActive) {
            throw error(basic ? 401 : 400, "invalid_client", "unknown client, wrong secret, or client not active yet");
        }
        if (!"delegation".equals(grantType)) {
            throw error(400, "unsupported_grant_type", "grant_type " + grantType + " is not supported for this client");
        }
        String userId = form.get("user_id");
        if (userId == null || !userId.equalsIgnoreCase(settings.delegatedUserId)) {
            throw error(400, "invalid_grant", "user_id is not the delegated user of this app");
        }
        Set<String> granted = new LinkedHashSet<>(settings.appScopes);
        String scope = form.get("scope");
        if (scope != null && !scope.isBlank()) {
            Set<String> requested = new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));
            for (String s : requested) {
                if (!granted.contains(s)) {
                    throw error(400, "invalid_scope", "scope " + s + " is not granted to this app");
                }
            }
            granted = requested;
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long lifetime = settings.tokenLifetimeSeconds;
        tokens.put(token, new Issued(tenant, clientId, userId, granted, clock.instant().plusSeconds(lifetime)));
        Map<String, Object> body = new LinkedHashMap<>();
        everIssued.add(token);
        body.put("access_token", token);
        body.put("expires_in", lifetime);
        body.put("token_type", "Bearer");
        body.put("scope", String.join(" ", granted));
        return body;
    }

    /** The grant behind a bearer token, or null when it is unknown, revoked or expired. */
    Issued check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        Issued issued = tokens.get(authorization.substring(7).trim());
        if (issued == null) {
            return null;
        }
        if (!clock.instant().isBefore(issued.expiresAt())) {
            tokens.remove(authorization.substring(7).trim());
            return null;
        }
        return issued;
    }

    /** Scopes in effect now: those of the token that the app still has (revoking an app scope takes effect at once). */
    Set<String> effectiveScopes(Issued issued) {
        Set<String> s = new LinkedHashSet<>(issued.scopes());
        s.retainAll(settings.appScopes);
        return s;
    }

    Set<String> everIssued() {
        return Set.copyOf(everIssued);
    }

    void revokeAll() {
        tokens.clear();
    }

    int activeTokens() {
        return tokens.size();
    }

    private static String[] decodeBasic(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw error(401, "invalid_client", "unsupported client authentication");
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw error(401, "invalid_client", "malformed Basic credentials");
            }
            return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            throw error(401, "invalid_client", "malformed Basic credentials");
        }
    }

    static OAuthErrorException error(int status, String code, String description) {
        return new OAuthErrorException(new OAuthError(status, code, description));
    }

    static final class OAuthErrorException extends RuntimeException {
        final OAuthError error;

        OAuthErrorException(OAuthError error) {
            super(error.error());
            this.error = error;
        }
    }
}
