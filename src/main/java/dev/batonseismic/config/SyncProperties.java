package dev.batonseismic.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code sync.*}: when syncs run and how they page. Values (and what each means) are in application.yaml; the ranges
 * here are checked at start-up, where a value out of range is one sentence naming its environment variable.
 */
@Validated
@ConfigurationProperties("sync")
public record SyncProperties(
        String cron,
        Boolean onStartup,
        Boolean scheduled,
        @Min(1) @Max(100) Integer pageSize,
        @Min(1) @Max(64) Integer concurrency,
        @Min(1) Integer progressEveryPages,
        @Min(1) @Max(100_000) Integer history,
        @Min(1) @Max(10_000) Integer reportingPageSize,
        @Min(1) @Max(20) Integer listingPasses,
        @Min(0) @Max(100) Integer maxDropPercent,
        List<String> resourceTypes,
        List<String> resources,
        Boolean skipGrants,
        Boolean skipEntitlementsAndGrants,
        Boolean skipFullSync) {
}
