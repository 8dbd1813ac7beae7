package dev.batonseismic.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code seismic.*}: the Seismic app registration (checked by {@link SettingsConfiguration}, whose sentences name the
 * seed's variables, e.g. BATON_SEISMIC_TENANT) and how calls to Seismic are paced, retried and timed out.
 * {@link #toString()} never shows the client secret or the callback's signing secret.
 */
@Validated
@ConfigurationProperties("seismic")
public record SeismicProperties(
        String clientId,
        String clientSecret,
        String tenant,
        String delegationUserId,
        String apiUrl,
        String authUrl,
        String scopes,
        @DurationMin(nanos = 0) Duration tokenRefreshMargin,
        @Valid Health health,
        @Valid Callback callback,
        @Valid RateLimit rateLimit,
        @Valid Retry retry,
        @Valid Http http) {

    /** Readiness asks Seismic for a token at most once per {@code retryAfter} while it fails. */
    public record Health(@DurationMin(millis = 1) Duration retryAfter) {}

    /** Verifies Seismic's delegation callback; empty: the callback is refused. */
    public record Callback(String signingSecret) {
        @Override
        public String toString() {
            return "Callback[signingSecret=" + (signingSecret == null || signingSecret.isEmpty() ? "(none)" : "(hidden)") + "]";
        }
    }

    /** Seismic's rate limit per tenant, kept client-side: {@code calls} per {@code window} (+ {@code margin}). */
    public record RateLimit(@Min(0) @Max(1_000_000) Integer calls, @DurationMin(millis = 1) Duration window,
                            @DurationMin(nanos = 0) Duration margin, @Min(0) @Max(99) Integer reservePercent,
                            @Min(1) @Max(100) Integer burstPercent) {}

    /** Attempts per call for 429, 5xx and broken connections; 5xx backs off from {@code initialBackoff}, doubling. */
    public record Retry(@Min(1) @Max(50) Integer maxAttempts, @DurationMin(nanos = 0) Duration initialBackoff) {}

    /** Timeouts per Seismic call (and token request). */
    public record Http(@Min(1) Integer connectTimeoutMs, @Min(1) Integer responseTimeoutMs) {}

    @Override
    public String toString() {
        return "SeismicProperties[tenant=" + tenant + ", clientId=" + clientId + ", clientSecret=(hidden), apiUrl=" + apiUrl
                + ", authUrl=" + authUrl + ", rateLimit=" + rateLimit + ", retry=" + retry + ", http=" + http + ", callback=" + callback + "]";
    }
}
