package dev.batonseismic.emulator;

/** A SCIM error answer (RFC 7644 §3.12): HTTP status, optional scimType, and a detail sentence. */
final class ScimError extends RuntimeException {
    final int status;
    final String scimType;

    ScimError(int status, String scimType, String detail) {
        super(detail);
        this.status = status;
        this.scimType = scimType;
    }

    static ScimError notFound(String what, String id) {
        return new ScimError(404, null, what + " " + id + " not found");
    }

    static ScimError invalidValue(String detail) {
        return new ScimError(400, "invalidValue", detail);
    }

    static ScimError invalidSyntax(String detail) {
        return new ScimError(400, "invalidSyntax", detail);
    }

    static ScimError invalidFilter(String detail) {
        return new ScimError(400, "invalidFilter", detail);
    }

    static ScimError uniqueness(String detail) {
        return new ScimError(409, "uniqueness", detail);
    }
}
