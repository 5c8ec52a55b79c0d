package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.image.ImageTensors;
import dev.iffleet.core.image.Watermark;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every generation mode through the gateway, the real fleet, Kafka and Redis, checked on the images it returns. */
class FleetModesTest {

    private static FleetClient client;

    @BeforeAll
    static void startFleet() {
        client = new FleetClient(SharedFleet.get().gatewayUrl());
    }

    @Test
    void imageVariationKeepsMoreOfTheInputAsStrengthFalls() {
        BufferedImage input = scene(128, 96);
        BufferedImage expected = ImageTensors.resize(input, 88, 64); // IF's resize: short side 64, long side x8
        double[] mad = new double[3];
        double[] strengths = {0.2, 0.6, 1.0};
        for (int i = 0; i < strengths.length; i++) {
            BufferedImage out = stage1(run("""
                    {"prompt": "a variation", "mode": "image_variation", "image": "%s", "seed": 3, "stop_after": "stage1",
                     "stage1": {"steps": 20, "strength": %s}}""".formatted(b64(input), strengths[i])), 0);
            assertEquals(88, out.getWidth());
            assertEquals(64, out.getHeight());
            mad[i] = meanAbsDiff(expected, out);
        }
        assertTrue(mad[0] < mad[1] && mad[1] < mad[2], "mean |output - input| must fall with strength: "
                + java.util.Arrays.toString(mad));
    }

    @Test
    void inpaintingLeavesUnmaskedPixelsIdenticalAtStage1AndStage2() {
        BufferedImage input = scene(64, 64);
        BufferedImage mask = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        var g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(16, 16, 24, 24);
        g.dispose();
        JsonNode job = run("""
                {"prompt": "a patch", "mode": "inpainting", "image": "%s", "mask": "%s", "seed": 4, "stop_after": "sr",
                 "stage1": {"timesteps": "fast27"}, "sr": {"steps": 4}}""".formatted(b64(input), b64(mask)));

        BufferedImage s1 = stage1(job, 0);
        assertKeptOutsideMask(input, mask, s1);
        BufferedImage sr = image(job, "sr", 0);
        assertEquals(256, sr.getWidth());
        // stage II inpaints too: its kept region is the original at 256 px, resized as the worker resizes it
        assertKeptOutsideMask(ImageTensors.resize(input, 256, 256), ImageTensors.resize(mask, 256, 256), sr);
    }

    @Test
    void upscaleOnlyReturnsTheRequestedSizeFromEitherStage() {
        BufferedImage input = scene(40, 60);
        JsonNode viaSr = run("""
                {"mode": "upscale", "image": "%s", "width": 16, "height": 24, "stop_after": "sr", "sr": {"steps": 3}}"""
                .formatted(b64(input)));
        assertFalse(viaSr.path("metrics").has("stage1"), "stage I never ran: " + viaSr);
        BufferedImage sr = image(viaSr, "sr", 0);
        assertEquals(64, sr.getWidth());
        assertEquals(96, sr.getHeight());

        JsonNode viaX4 = run("""
                {"mode": "upscale", "start_stage": "upscale", "image": "%s", "width": 16, "height": 24,
                 "upscale": {"steps": 2}}""".formatted(b64(input)));
        assertFalse(viaX4.path("metrics").has("sr"), "stage II never ran: " + viaX4);
        BufferedImage x4 = image(viaX4, "upscale", 0);
        assertEquals(256, x4.getWidth());
        assertEquals(384, x4.getHeight());
    }

    @Test
    void nonSquareBatchesKeepTheirShapeAndEachImageItsSeed() {
        JsonNode batch = run("""
                {"prompt": "wide", "seed": 20, "width": 96, "height": 64, "num_images": 2,
                 "stage1": {"steps": 3}, "sr": {"steps": 2}, "upscale": {"steps": 2}}""");
        assertEquals(6, batch.path("outputs").size(), batch.toString());
        int[][] sizes = {{96, 64}, {384, 256}, {1536, 1024}};
        String[] stages = {"stage1", "sr", "upscale"};
        for (int s = 0; s < stages.length; s++) {
            for (int i = 0; i < 2; i++) {
                BufferedImage img = image(batch, stages[s], i);
                assertEquals(sizes[s][0], img.getWidth(), stages[s]);
                assertEquals(sizes[s][1], img.getHeight(), stages[s]);
            }
        }
        JsonNode alone = run("""
                {"prompt": "wide", "seed": 21, "width": 96, "height": 64, "stop_after": "stage1", "stage1": {"steps": 3}}""");
        // the same noise, so the same picture; a batch of 4 through the UNet may round a pixel differently than 2
        double sameSeed = meanAbsDiff(image(batch, "stage1", 1), image(alone, "stage1", 0));
        double otherSeed = meanAbsDiff(image(batch, "stage1", 0), image(batch, "stage1", 1));
        assertTrue(sameSeed < 0.5, "image 1 of seed 20 is seed 21's image 0, mean |diff| " + sameSeed);
        assertTrue(otherSeed > 10 * Math.max(sameSeed, 0.1), "images 0 and 1 differ: " + otherSeed);
    }

    private static void assertKeptOutsideMask(BufferedImage input, BufferedImage mask, BufferedImage out) {
        Watermark.Box mark = Watermark.box(out.getWidth(), out.getHeight());
        int kept = 0;
        int changedInside = 0;
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                boolean stamped = x >= mark.x() && y >= mark.y();
                boolean repaint = (mask.getRGB(x, y) & 0xff) >= 128;
                if (!repaint && !stamped) {
                    assertEquals(input.getRGB(x, y) & 0xffffff, out.getRGB(x, y) & 0xffffff, "kept pixel " + x + "," + y);
                    kept++;
                } else if (repaint && (input.getRGB(x, y) & 0xffffff) != (out.getRGB(x, y) & 0xffffff)) {
                    changedInside++;
                }
            }
        }
        assertTrue(kept > 0 && changedInside > 0, "kept " + kept + ", repainted and changed " + changedInside);
    }

    private static JsonNode run(String body) {
        String id = client.submit(body);
        JsonNode job = client.awaitDone(id, Duration.ofMinutes(5), j -> {});
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        return job;
    }

    private static BufferedImage stage1(JsonNode job, int index) {
        return image(job, "stage1", index);
    }

    private static byte[] png(JsonNode job, String stage, int index) {
        String id = job.path("id").asText();
        FleetClient.Reply r = client.get("/v1/jobs/" + id + "/images/" + stage + (index == 0 ? "" : "/" + index) + ".png");
        assertEquals(200, r.status(), stage + " image " + index + " of " + job);
        return r.body();
    }

    private static BufferedImage image(JsonNode job, String stage, int index) {
        try {
            return ImageIO.read(new ByteArrayInputStream(png(job, stage, index)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A picture with structure at every scale: two colour fields, a disc and a diagonal stripe. */
    private static BufferedImage scene(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(new Color(200, 40, 40));
        g.fillRect(0, 0, w / 2, h);
        g.setColor(new Color(40, 60, 200));
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.setColor(Color.WHITE);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.setColor(Color.YELLOW);
        g.drawLine(0, h - 1, w - 1, 0);
        g.dispose();
        return img;
    }

    private static String b64(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
