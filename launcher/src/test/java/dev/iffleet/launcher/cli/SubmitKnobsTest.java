package dev.iffleet.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./fleet submit}'s mode options become the job body the gateway documents. */
class SubmitKnobsTest {

    @TempDir
    Path dir;

    @Test
    void modeOptionsBecomeTheJobBody() throws Exception {
        Path image = Files.write(dir.resolve("in.png"), new byte[] {1, 2, 3});
        Path mask = Files.write(dir.resolve("mask.png"), new byte[] {4, 5});
        CliArgs a = CliArgs.parse(new String[] {"submit", "a cat", "--mode", "inpainting", "--image", image.toString(),
            "--mask", mask.toString(), "--strength", "0.9", "--sr-strength", "0.5", "--num-images", "2", "--width", "96",
            "--height", "64", "--stop-after", "sr", "--stage1-timesteps", "smart27", "--sr-timesteps", "999, 500,0",
            "--stage1-steps", "7", "--guidance", "6.5", "--no-watermark", "--no-clean-caption",
            "--json", "{\"retention\":60}"}, Map.of());

        JsonNode body = new ObjectMapper().readTree(SubmitCommand.body(a));

        assertEquals("inpainting", body.path("mode").asText());
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}), body.path("image").asText());
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {4, 5}), body.path("mask").asText());
        assertEquals(0.9, body.path("stage1").path("strength").asDouble());
        assertEquals(7, body.path("stage1").path("steps").asInt());
        assertEquals(6.5, body.path("stage1").path("guidance_scale").asDouble());
        assertEquals("smart27", body.path("stage1").path("timesteps").asText());
        assertEquals("[999,500,0]", body.path("sr").path("timesteps").toString());
        assertEquals(0.5, body.path("sr").path("strength").asDouble());
        assertEquals(2, body.path("num_images").asInt());
        assertEquals(96, body.path("width").asInt());
        assertEquals("sr", body.path("stop_after").asText());
        assertEquals(false, body.path("watermark").asBoolean(true));
        assertEquals(false, body.path("clean_caption").asBoolean(true));
        assertEquals(60, body.path("retention").asInt());
    }

    @Test
    void upscaleNeedsNoPromptButOtherModesDo() throws Exception {
        Path image = Files.write(dir.resolve("in.png"), new byte[] {1});
        CliArgs up = CliArgs.parse(new String[] {"submit", "--mode", "upscale", "--image", image.toString(),
            "--start-stage", "upscale"}, Map.of());

        assertEquals("upscale", new ObjectMapper().readTree(SubmitCommand.body(up)).path("start_stage").asText());
        assertThrows(CliArgs.UsageException.class, () -> CliArgs.parse(new String[] {"submit", "--mode",
            "image_variation"}, Map.of()));
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThrows(CliArgs.UsageException.class, () -> SubmitCommand.body(CliArgs.parse(
                new String[] {"submit", "p", "--image", dir.resolve("missing.png").toString()}, Map.of())));
        assertThrows(CliArgs.UsageException.class, () -> SubmitCommand.body(CliArgs.parse(
                new String[] {"submit", "p", "--strength", "lots"}, Map.of())));
        assertThrows(CliArgs.UsageException.class, () -> SubmitCommand.body(CliArgs.parse(
                new String[] {"submit", "p", "--json", "[1]"}, Map.of())));
        assertThrows(CliArgs.UsageException.class, () -> CliArgs.parse(new String[] {"jobs", "--mode", "upscale"},
                Map.of()));
    }
}
