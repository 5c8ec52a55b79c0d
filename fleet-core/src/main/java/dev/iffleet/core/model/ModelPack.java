package dev.iffleet.core.model;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.model.PackManifest.ComponentSpec;
import dev.iffleet.core.model.PackManifest.StageSpec;
import dev.iffleet.core.model.PackManifest.TokenizerSpec;
import dev.iffleet.core.queue.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A model pack on disk: its directory and manifest, with every referenced file checked at load time. */
public final class ModelPack {

    public static final String FORMAT = "if-fleet-pack/1";

    private final Path dir;
    private final PackManifest manifest;

    private ModelPack(Path dir, PackManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /** Loads and checks {@code dir/pack.json}; a missing or inconsistent pack fails here, not mid-job. */
    public static ModelPack load(Path dir) {
        Path file = dir.resolve("pack.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelUnavailableException("model pack manifest not found: " + file.toAbsolutePath()
                    + " (set fleet.pack.dir to a pack directory such as models/shapes)");
        }
        PackManifest m;
        try {
            m = Json.MAPPER.readValue(file.toFile(), PackManifest.class);
        } catch (IOException e) {
            throw new ModelUnavailableException("unreadable model pack manifest " + file + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(m.format())) {
            throw new ModelUnavailableException("model pack " + file + " has format '" + m.format()
                    + "', this runtime reads '" + FORMAT + "'");
        }
        requireSection(file, "components", m.components());
        requireSection(file, "tokenizers", m.tokenizers());
        requireSection(file, "stages", m.stages());
        ModelPack pack = new ModelPack(dir.toAbsolutePath(), m);
        m.components().forEach((name, c) -> pack.requireFile(name, c.file()));
        m.tokenizers().forEach((name, t) -> pack.requireFile("tokenizer " + name, t.file()));
        return pack;
    }

    public Path dir() {
        return dir;
    }

    public PackManifest manifest() {
        return manifest;
    }

    public String name() {
        return manifest.name();
    }

    /** Settings of one stage; a pack that lacks the stage cannot serve that worker. */
    public StageSpec stage(Stage stage) {
        StageSpec s = manifest.stages().get(stage.id());
        if (s == null) {
            throw new ModelUnavailableException("model pack '" + name() + "' has no stage '" + stage.id() + "'");
        }
        return s;
    }

    /** The component a stage names under {@code role} (e.g. stage1's "unet"). */
    public String componentOf(Stage stage, String role) {
        String name = stage(stage).components() == null ? null : stage(stage).components().get(role);
        if (name == null || !manifest.components().containsKey(name)) {
            throw new ModelUnavailableException("model pack '" + name() + "': stage '" + stage.id()
                    + "' names no component for role '" + role + "'");
        }
        return name;
    }

    public ComponentSpec component(String name) {
        ComponentSpec c = manifest.components().get(name);
        if (c == null) {
            throw new ModelUnavailableException("model pack '" + name() + "' has no component '" + name + "'");
        }
        return c;
    }

    public TokenizerSpec tokenizer(String name) {
        TokenizerSpec t = manifest.tokenizers().get(name);
        if (t == null) {
            throw new ModelUnavailableException("model pack '" + name() + "' has no tokenizer '" + name + "'");
        }
        return t;
    }

    public Path resolve(String relative) {
        return dir.resolve(relative);
    }

    private static void requireSection(Path file, String section, Object value) {
        if (value == null) {
            throw new ModelUnavailableException("model pack manifest " + file + " has no \"" + section + "\" section");
        }
    }

    private void requireFile(String what, String relative) {
        if (relative == null || !Files.isRegularFile(dir.resolve(relative))) {
            throw new ModelUnavailableException("model pack '" + name() + "': file of " + what + " missing: "
                    + dir.resolve(String.valueOf(relative)));
        }
    }
}
