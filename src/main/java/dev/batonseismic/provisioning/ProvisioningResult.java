package dev.batonseismic.provisioning;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one result every request gets (docs/provisioning.md). {@code httpStatus} is what the REST answer carries: 200
 * for SUCCEEDED and ALREADY_*, 400 malformed, 403 provisioning disabled, 404 unknown id, 422 refused, 502/503 Seismic.
 * {@code deadLetter} marks bad input, which Kafka and JMS also copy to their dead-letter destination.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvisioningResult(String requestId, Status status, String message, JsonNode grant, JsonNode resource,
                                 @JsonIgnore int httpStatus, @JsonIgnore boolean deadLetter) {

    public enum Status { SUCCEEDED, ALREADY_EXISTS, ALREADY_REVOKED, REFUSED, FAILED }

    public static ProvisioningResult ok(String requestId, Status status, String message, JsonNode grant, JsonNode resource) {
        return new ProvisioningResult(requestId, status, message, grant, resource, 200, false);
    }

    public static ProvisioningResult refused(String requestId, int httpStatus, String message) {
        return new ProvisioningResult(requestId, Status.REFUSED, message, null, null, httpStatus, false);
    }

    /** Bad input: malformed (400) or unknown ids (404); goes to the dead-letter destination too. */
    static ProvisioningResult badInput(String requestId, int httpStatus, String message) {
        return new ProvisioningResult(requestId, Status.FAILED, message, null, null, httpStatus, true);
    }

    static ProvisioningResult failed(String requestId, int httpStatus, String message, boolean deadLetter) {
        return new ProvisioningResult(requestId, Status.FAILED, message, null, null, httpStatus, deadLetter);
    }

    /** Seismic failed or was unavailable (502/503): on Kafka and JMS the request is delivered again, not answered. */
    @JsonIgnore
    public boolean transientFailure() {
        return status == Status.FAILED && httpStatus >= 500;
    }

    /** This transient failure as the final answer after the last delivery: FAILED, and dead-lettered with the reason. */
    public ProvisioningResult exhausted(String why) {
        return new ProvisioningResult(requestId, Status.FAILED, why + message, null, null, httpStatus, true);
    }

    /** A result the requester may get again for the same requestId (transient Seismic failures are not kept). */
    @JsonIgnore
    public boolean isFinal() {
        return httpStatus < 500;
    }
}
