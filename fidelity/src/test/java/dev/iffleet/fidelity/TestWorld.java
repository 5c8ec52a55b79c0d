package dev.iffleet.fidelity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's models/shapes/world.json, loaded once for the tests. */
final class TestWorld {

    private static World world;

    private TestWorld() {}

    static Path file() {
        String prop = System.getProperty("iffleet.repo.root");
        Path root = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath().getParent();
        Path file = root.resolve("models/shapes/world.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no world.json at " + file);
        }
        return file;
    }

    static synchronized World get() {
        if (world == null) {
            try {
                world = World.load(file());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return world;
    }
}
