package dev.iffleet.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from a test's working directory (the module) or the build's system property. */
final class RepoRoot {

    private RepoRoot() {}

    static Path find() {
        String prop = System.getProperty("iffleet.repo.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "models"))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("fleet"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
