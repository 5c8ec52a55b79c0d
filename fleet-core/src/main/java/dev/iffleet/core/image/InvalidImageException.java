package dev.iffleet.core.image;

/**
 * An input image or mask the fleet refuses; the message is for humans, {@link #code()} for machines. A client
 * error (HTTP 400): never retried.
 */
public class InvalidImageException extends RuntimeException {

    private final ImageError error;

    public InvalidImageException(ImageError error, String message) {
        super(message);
        this.error = error;
    }

    public InvalidImageException(ImageError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public ImageError error() {
        return error;
    }

    /** Shorthand for {@code error().code()}. */
    public String code() {
        return error.code();
    }
}
