package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.devstack.DevStack;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole fleet on the pack that models/tools/export_deepfloyd_if exported from tiny random models of the real
 * IF / x4 classes (models/fixtures/if-export-tiny): traced diffusers UNets, a transformers T5 and CLIP encoder,
 * the AutoencoderKL decoder and converted tokenizers serve a prompt through the gateway up to 1024 px.
 */
class ExportedPackFleetTest {

    private static Fleet fleet;
    private static FleetClient client;

    @BeforeAll
    static void startFleet() {
        Path root = RepoRoot.find();
        SharedFleet.stop(); // two fleets on one Kafka share consumer groups and would skip each other's jobs
        fleet = Fleet.start(DevStack.shared(), root, root.resolve("models/fixtures/if-export-tiny"),
                root.resolve("launcher/target/export-logs"), Map.of("fleet.redis.key-prefix", "export:"),
                Duration.ofMinutes(5));
        client = new FleetClient(fleet.gatewayUrl());
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void exportedPackTurnsAPromptIntoPicturesOfTheCascadeSizes() {
        String id = client.submit("""
                {"prompt": "An astronaut riding a horse, oil painting", "seed": 5,
                 "stage1": {"steps": 3}, "sr": {"steps": 2}, "upscale": {"steps": 2}}""");
        JsonNode job = client.awaitDone(id, Duration.ofMinutes(4), j -> {});

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertPicture(id, "stage1", 64);
        assertPicture(id, "sr", 256);
        assertPicture(id, "upscale", 1024);
    }

    /** A square PNG of the stage's size whose pixels are not all one colour (a failed stage leaves a flat image). */
    private static void assertPicture(String id, String stage, int side) {
        FleetClient.Reply png = client.get("/v1/jobs/" + id + "/images/" + stage + ".png");
        assertEquals(200, png.status(), stage);
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(png.body()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(side, img.getWidth(), stage + " width");
        assertEquals(side, img.getHeight(), stage + " height");
        int first = img.getRGB(0, 0);
        int differing = 0;
        for (int y = 0; y < side; y += 4) {
            for (int x = 0; x < side; x += 4) {
                differing += img.getRGB(x, y) != first ? 1 : 0;
            }
        }
        assertTrue(differing > side * side / 16 / 10, stage + ": only " + differing + " sampled pixels differ from the first");
    }
}
