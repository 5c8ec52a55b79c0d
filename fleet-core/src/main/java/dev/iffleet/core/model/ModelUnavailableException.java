package dev.iffleet.core.model;

/** A model, pack or native library cannot be loaded: the worker must not become ready. */
public class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
