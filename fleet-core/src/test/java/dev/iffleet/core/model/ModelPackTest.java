package dev.iffleet.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.model.PackManifest.StageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading and checking a model pack directory. */
class ModelPackTest {

    @Test
    void tinyPackLoadsWithItsName() {
        ModelPack pack = TinyPack.load();
        assertEquals("tiny", pack.name());
        assertEquals(ModelPack.FORMAT, pack.manifest().format());
        assertEquals(TinyPack.dir(), pack.dir());
    }

    @ParameterizedTest
    @CsvSource({
        "ENCODE, encoder, t5_encoder",
        "STAGE1, unet, stage1_unet",
        "SR, unet, sr_unet",
        "UPSCALE, text_encoder, x4_text_encoder",
        "UPSCALE, unet, x4_unet",
        "UPSCALE, vae_decoder, vae_decoder"
    })
    void componentOfNamesTheStagesComponentForARole(Stage stage, String role, String expected) {
        assertEquals(expected, TinyPack.load().componentOf(stage, role));
    }

    @Test
    void stageSettingsComeFromTheManifest() {
        ModelPack pack = TinyPack.load();
        assertEquals("t5", pack.stage(Stage.ENCODE).tokenizer());
        assertEquals(64, pack.stage(Stage.ENCODE).embeddingDim());
        StageSpec stage1 = pack.stage(Stage.STAGE1);
        assertEquals(64, stage1.width());
        assertEquals(100, stage1.steps());
        assertEquals(7.0, stage1.guidanceScale());
        assertEquals("squaredcos_cap_v2", stage1.scheduler().betaSchedule());
        assertEquals(250, pack.stage(Stage.SR).noiseLevel());
        StageSpec upscale = pack.stage(Stage.UPSCALE);
        assertEquals(1024, upscale.width());
        assertEquals("clip", upscale.tokenizer());
        assertEquals(4, upscale.latentChannels());
        assertEquals("v_prediction", upscale.scheduler().predictionType());
        assertEquals(0.02, upscale.noisingScheduler().betaEnd());
    }

    @Test
    void unknownRoleIsUnavailable() {
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
                () -> TinyPack.load().componentOf(Stage.STAGE1, "vae_decoder"));
        assertTrue(e.getMessage().contains("role 'vae_decoder'"), e.getMessage());
    }

    @Test
    void unknownComponentAndTokenizerAreUnavailable() {
        ModelPack pack = TinyPack.load();
        assertThrows(ModelUnavailableException.class, () -> pack.component("nope"));
        assertThrows(ModelUnavailableException.class, () -> pack.tokenizer("nope"));
    }

    @Test
    void directoryWithoutManifestIsUnavailable(@TempDir Path dir) {
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ModelPack.load(dir));
        assertTrue(e.getMessage().startsWith("model pack manifest not found: " + dir.resolve("pack.json")),
                e.getMessage());
    }

    @Test
    void wrongFormatIsUnavailable(@TempDir Path dir) throws IOException {
        Path pack = TinyPack.copyTo(dir);
        rewrite(pack.resolve("pack.json"), "\"if-fleet-pack/1\"", "\"if-fleet-pack/9\"");
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ModelPack.load(pack));
        assertTrue(e.getMessage().contains("has format 'if-fleet-pack/9', this runtime reads 'if-fleet-pack/1'"),
                e.getMessage());
    }

    @Test
    void unreadableManifestIsUnavailable(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pack.json"), "{\"format\": ");
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ModelPack.load(dir));
        assertTrue(e.getMessage().startsWith("unreadable model pack manifest"), e.getMessage());
    }

    @Test
    void missingComponentFileIsUnavailable(@TempDir Path dir) throws IOException {
        Path pack = TinyPack.copyTo(dir);
        Files.delete(pack.resolve("x4_unet.pt"));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ModelPack.load(pack));
        assertTrue(e.getMessage().contains("file of x4_unet missing"), e.getMessage());
        assertTrue(e.getMessage().contains("x4_unet.pt"), e.getMessage());
    }

    @Test
    void missingTokenizerFileIsUnavailable(@TempDir Path dir) throws IOException {
        Path pack = TinyPack.copyTo(dir);
        Files.delete(pack.resolve("tokenizer/clip/tokenizer.json"));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ModelPack.load(pack));
        assertTrue(e.getMessage().contains("file of tokenizer clip missing"), e.getMessage());
    }

    @Test
    void manifestWithoutSectionsIsUnavailable(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pack.json"), "{\"format\": \"if-fleet-pack/1\", \"name\": \"bare\"}");
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ModelPack.load(dir));
        assertEquals("model pack manifest " + dir.resolve("pack.json") + " has no \"components\" section", e.getMessage());
    }

    @Test
    void packWithoutAStageCannotServeIt(@TempDir Path dir) throws IOException {
        Path pack = TinyPack.copyTo(dir);
        rewrite(pack.resolve("pack.json"), "\"sr\": {", "\"sr_renamed\": {");
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
                () -> ModelPack.load(pack).stage(Stage.SR));
        assertEquals("model pack 'tiny' has no stage 'sr'", e.getMessage());
    }

    private static void rewrite(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), "pack.json contains " + from);
        Files.writeString(file, text.replace(from, to));
    }
}
