package dev.iffleet.core.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where the repository's tiny model pack lies, and disposable copies of it for tests that break it. */
final class TinyPack {

    private TinyPack() {}

    /** {@code models/tiny} under the repository root (set by surefire; tests otherwise run in fleet-core/). */
    static Path dir() {
        String root = System.getProperty("iffleet.repo.root");
        return (root != null ? Path.of(root) : Path.of("..")).resolve("models/tiny").toAbsolutePath().normalize();
    }

    static ModelPack load() {
        return ModelPack.load(dir());
    }

    /** Copies the whole pack into {@code target}, which must exist. */
    static Path copyTo(Path target) {
        Path source = dir();
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path p : tree.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
