package dev.iffleet.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iffleet.core.image.Watermark;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Outputs;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.model.ModelPack;
import dev.iffleet.core.model.ModelRuntime;
import dev.iffleet.core.model.RuntimeSettings;
import dev.iffleet.core.model.SafetyChecker;
import dev.iffleet.core.queue.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pack's safety checker through DJL, and what a stage delivers for flagged and unflagged images. */
class SafetyCheckTest {

    private static final Path TINY = Path.of("../models/tiny");
    private static final Path FIXTURES = Path.of("../models/fixtures/safety");

    @TempDir
    Path dir;

    @Test
    void packWithoutACheckerFlagsNothing() {
        try (ModelRuntime runtime = ModelRuntime.open(ModelPack.load(TINY), RuntimeSettings.cpu());
                NDManager m = NDManager.newBaseManager()) {
            SafetyChecker checker = new SafetyChecker(runtime);
            assertFalse(checker.enabled());
            assertArrayEquals(new boolean[2], checker.flagged(m.zeros(new Shape(2, 3, 8, 8))));
        }
    }

    @Test
    void checkerScoresEveryImageOfTheBatch() throws IOException {
        for (String fixture : new String[] {"flag_all.pt", "flag_none.pt"}) {
            try (ModelRuntime runtime = ModelRuntime.open(ModelPack.load(packWith(fixture)), RuntimeSettings.cpu());
                    NDManager m = NDManager.newBaseManager()) {
                boolean[] flagged = new SafetyChecker(runtime).flagged(m.randomNormal(new Shape(3, 3, 16, 24)));
                boolean all = fixture.equals("flag_all.pt");
                assertArrayEquals(new boolean[] {all, all, all}, flagged, fixture);
            }
        }
    }

    @Test
    void flaggedImagesAreDeliveredBlackAndReportedTheOthersWatermarked() throws IOException {
        List<Integer> reported = new ArrayList<>();
        StageContext ctx = new StageContext(new StageMessage("j", Stage.SR, 1, Map.of(),
                new JobParams("p", "", 1, 256, null, null, null), 0), null, e -> {}, Duration.ZERO, () -> 0L);
        List<BufferedImage> images = List.of(grey(256), grey(256));

        Map<String, byte[]> out = DeliveredImages.encode(images, new boolean[] {false, true}, true, ctx);

        BufferedImage first = ImageIO.read(new ByteArrayInputStream(out.get(Outputs.png(0))));
        BufferedImage second = ImageIO.read(new ByteArrayInputStream(out.get(Outputs.png(1))));
        Watermark.Box box = Watermark.box(256, 256);
        assertEquals(0x808080, first.getRGB(0, 0) & 0xffffff, "outside the stamp: the image");
        assertTrue(countDiffering(first, 0x808080) > 0, "the stamp is there");
        assertEquals(countDiffering(first, 0x808080), countDifferingIn(first, 0x808080, box), "only in its box");
        assertEquals(256 * 256, countDiffering(second, 0x808080), "flagged: all black");
        assertEquals(0, second.getRGB(100, 100) & 0xffffff);
        assertEquals(List.of(1), ctx.flagged());
    }

    @Test
    void blackoutBlanksOnlyFlaggedImagesOfTheTensor() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray batch = m.ones(new Shape(2, 3, 2, 2)).mul(0.5f);
            NDArray out = Blackout.apply(batch, new boolean[] {true, false});
            assertEquals(-1f, out.get(0).max().getFloat());
            assertEquals(0.5f, out.get(1).min().getFloat());
            assertEquals(0.5f, batch.get(0).min().getFloat(), "the input is not changed");
            assertTrue(Blackout.apply(batch, new boolean[2]) == batch);
        }
    }

    /** The tiny pack plus a safety checker fixture, in a temporary folder. */
    private Path packWith(String fixture) throws IOException {
        Path pack = Files.createTempDirectory(dir, "pack");
        try (Stream<Path> files = Files.walk(TINY)) {
            for (Path f : files.toList()) {
                Path target = pack.resolve(TINY.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Files.copy(FIXTURES.resolve(fixture), pack.resolve("safety_checker.pt"));
        ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(pack.resolve("pack.json").toFile());
        ObjectNode c = ((ObjectNode) manifest.get("components")).putObject(SafetyChecker.COMPONENT);
        c.put("file", "safety_checker.pt");
        c.putArray("inputs").addObject().put("name", "images").put("dtype", "float32");
        c.putArray("outputs").addObject().put("name", "scores").put("dtype", "float32");
        Files.writeString(pack.resolve("pack.json"), manifest.toString());
        return pack;
    }

    private static BufferedImage grey(int side) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, 0x808080);
            }
        }
        return img;
    }

    private static int countDiffering(BufferedImage img, int rgb) {
        return countDifferingIn(img, rgb, new Watermark.Box(0, 0, Math.max(img.getWidth(), img.getHeight())));
    }

    private static int countDifferingIn(BufferedImage img, int rgb, Watermark.Box box) {
        int n = 0;
        for (int y = Math.max(0, box.y()); y < Math.min(img.getHeight(), box.y() + box.size()); y++) {
            for (int x = Math.max(0, box.x()); x < Math.min(img.getWidth(), box.x() + box.size()); x++) {
                n += (img.getRGB(x, y) & 0xffffff) != rgb ? 1 : 0;
            }
        }
        return n;
    }
}
