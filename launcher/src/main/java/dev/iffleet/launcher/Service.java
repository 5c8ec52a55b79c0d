package dev.iffleet.launcher;

import java.nio.file.Path;

/** The five deployables of the fleet and where their Quarkus builds lie in the repository. */
public enum Service {
    GATEWAY("gateway", false),
    ENCODE("encoder-worker", true),
    STAGE1("stage1-worker", true),
    SR("sr-worker", true),
    UPSCALE("upscaler-worker", true);

    private final String module;
    private final boolean worker;

    Service(String module, boolean worker) {
        this.module = module;
        this.worker = worker;
    }

    public String module() {
        return module;
    }

    /** Workers load a model pack; the gateway does not. */
    public boolean isWorker() {
        return worker;
    }

    /** The runnable jar that {@code mvn package} leaves in the module. */
    public Path runJar(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
