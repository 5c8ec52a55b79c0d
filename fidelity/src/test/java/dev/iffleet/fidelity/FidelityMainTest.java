package dev.iffleet.fidelity;

import static dev.iffleet.fidelity.FidelityReportTest.assertRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FidelityMainTest {

    private static final String RING = "a small yellow ring on the right on a black background";
    private static final String ROW = "a red circle, a white square and a blue star on a green background";

    private final World world = TestWorld.get();
    private final SceneRenderer renderer = new SceneRenderer(world);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void judgesAFolderOfImagesWithTheirCaptions() throws Exception {
        png(dir.resolve("a.png"), RING, 64);
        Files.writeString(dir.resolve("a.txt"), RING + "\n");
        Path job = Files.createDirectories(dir.resolve("job-1"));
        Files.writeString(job.resolve("caption.txt"), ROW);
        png(job.resolve("stage1-64.png"), ROW, 64);
        png(job.resolve("upscale-1024.png"), ROW, 1024);
        png(job.resolve("sr-256.png"), RING, 256);

        assertEquals(0, run(world(), dir.toString()), err::toString);
        String report = out.toString(StandardCharsets.UTF_8);
        assertRow(report, "64 px", 2, 2, "100.0");
        assertRow(report, "256 px", 1, 0, "0.0");
        assertRow(report, "1024 px", 1, 1, "100.0");
        assertTrue(report.contains("job-1/sr-256.png \"" + ROW + "\""), report);
    }

    @Test
    void judgesAManifest() throws Exception {
        png(dir.resolve("x.png"), RING, 64);
        Files.writeString(dir.resolve("manifest.tsv"), "# image\tcaption\n\nx.png\t" + RING + "\n");
        assertEquals(0, run(world(), dir.resolve("manifest.tsv").toString()), err::toString);
        assertRow(out.toString(StandardCharsets.UTF_8), "all", 1, 1, "100.0");
    }

    @Test
    void refusesAnImageWithoutCaption() throws Exception {
        png(dir.resolve("lonely.png"), RING, 64);
        assertEquals(2, run(world(), dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no caption for"), err::toString);
    }

    @Test
    void explainsItsUsage() {
        assertEquals(2, run(world()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage:"));
    }

    private int run(String... args) {
        return FidelityMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String world() {
        return TestWorld.file().toString();
    }

    private void png(Path file, String caption, int size) throws CaptionException, IOException {
        Scene scene = new CaptionParser(world).parse(caption);
        ImageIO.write(renderer.render(scene, size, new Random(size)), "png", file.toFile());
    }
}
