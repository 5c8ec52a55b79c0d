package dev.iffleet.launcher;

import java.nio.file.Path;

/** The five deployables of the fleet and where their Quarkus builds lie in the repository. */
public enum Service {
    GATEWAY("gateway", "gateway", false),
    ENCODE("encoder-worker", "encode", true),
    STAGE1("stage1-worker", "stage1", true),
    SR("sr-worker", "sr", true),
    UPSCALE("upscaler-worker", "upscale", true);

    private final String module;
    private final String stage;
    private final boolean worker;

    Service(String module, String stage, boolean worker) {
        this.module = module;
        this.stage = stage;
        this.worker = worker;
    }

    /** The cascade stage a worker serves ({@code encode}, {@code stage1}, ...), or {@code gateway}. */
    public String stage() {
        return stage;
    }

    /** The service named by its stage ({@code stage1}) or its module ({@code stage1-worker}). */
    public static Service of(String name) {
        for (Service s : values()) {
            if (s.stage.equals(name) || s.module.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown stage '" + name + "' (gateway, encode, stage1, sr, upscale)");
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
