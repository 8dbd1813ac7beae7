package dev.batonseismic.provisioning;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One provisioning request, the same JSON over REST, Kafka and JMS (docs/provisioning.md). Ids are in baton's string
 * form: {@code user:<uid>}, {@code group:<gid>:member}, {@code role:<roleId>:assigned},
 * {@code group:<gid>:member:user:<uid>}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProvisioningRequest(String requestId, String operation, String entitlementId, String principalId,
                                  String grantId, String resourceId, String login, String email, String givenName,
                                  String familyName) {}
