package dev.batonseismic.emulator;

import java.time.Instant;

/** An entry of the reporting API's entitlementRoles catalog. */
record CatalogRole(String id, String name, String description, Instant createdAt, Instant modifiedAt, boolean isDeleted) {}
