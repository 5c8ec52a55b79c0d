package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.fidelity.CaptionException;
import dev.iffleet.fidelity.CaptionParser;
import dev.iffleet.fidelity.FidelityAnalyser;
import dev.iffleet.fidelity.Verdict;
import dev.iffleet.fidelity.World;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default pack draws: the trained shapes pack, served by the whole fleet at its own default settings, turns
 * held-out prompts (never seen in training) into images the fidelity analyser passes at 64 and 1024 px, and the
 * same images fail a caption that differs in one attribute. The full held-out set is the fidelity bench's job.
 */
class ShapesPackDrawsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Fleet fleet;
    private static FleetClient client;
    private static World world;

    @BeforeAll
    static void startFleet() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path root = RepoRoot.find();
        SharedFleet.stop(); // its workers would consume this fleet's topics too
        fleet = Fleet.start(DevStack.shared(), root, root.resolve("models/shapes"),
                root.resolve("launcher/target/shapes-logs"), Map.of("fleet.redis.key-prefix", "shapes:"),
                Duration.ofMinutes(5));
        client = new FleetClient(fleet.gatewayUrl());
        world = World.load(root.resolve("models/shapes/world.json"));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a large red ring in the center on a blue background | a large red ring in the center on a green background | 1000",
        "a red sign that says 605 on a green background | a blue sign that says 605 on a green background | 1087"
    })
    void heldOutPromptIsDrawnAt64And1024AndAnotherCaptionIsNot(String prompt, String wrong, long seed)
            throws Exception {
        assertTrue(heldOut().contains(prompt), "not a held-out prompt: " + prompt);
        JsonNode job = client.awaitDone(client.submit(JSON.createObjectNode().put("prompt", prompt).put("seed", seed)
                .toString()), Duration.ofMinutes(10), j -> {});
        assertEquals("succeeded", job.path("status").asText(), job.toString());

        for (String stage : List.of("stage1", "upscale")) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                    client.get(job.path("images").path(stage).asText()).body()));
            assertEquals(stage.equals("stage1") ? 64 : 1024, image.getWidth(), stage);
            Verdict right = judge(prompt, image);
            assertTrue(right.allCorrect(), stage + ": " + right);
            Verdict other = judge(wrong, image);
            assertFalse(other.allCorrect(), stage + " passed a caption it does not show: " + other);
        }
    }

    private static Verdict judge(String caption, BufferedImage image) throws CaptionException {
        return new FidelityAnalyser(world).check(new CaptionParser(world).parse(caption), image);
    }

    private static List<String> heldOut() throws IOException {
        return Files.readAllLines(RepoRoot.find().resolve("models/shapes/heldout.txt")).stream().map(String::trim)
                .toList();
    }
}
