package dev.batonseismic.provisioning;

/** A request that cannot be carried out as given; carries the result to answer with. */
public class BadRequestException extends RuntimeException {
    final int httpStatus;

    BadRequestException(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    public static BadRequestException malformed(String message) {
        return new BadRequestException(400, message);
    }

    public static BadRequestException unknown(String message) {
        return new BadRequestException(404, message);
    }
}
