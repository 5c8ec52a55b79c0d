package dev.iffleet.fidelity;

/** world.json is missing a field, or a field no longer reads as this analyser expects. */
public class WorldFormatException extends RuntimeException {

    public WorldFormatException(String message) {
        super(message);
    }
}
