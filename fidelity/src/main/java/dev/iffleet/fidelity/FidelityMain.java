package dev.iffleet.fidelity;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Command line: prints the fidelity report of a folder of images or of a manifest.
 *
 * <pre>
 * java -cp fidelity/target/fidelity.jar:fidelity/target/lib/* dev.iffleet.fidelity.FidelityMain \
 *     models/shapes/world.json DIR|MANIFEST [--failures N]
 * </pre>
 *
 * A folder is searched recursively for PNGs; each one's caption is X.txt beside X.png, else caption.txt
 * in its folder (one caption for a job's stage1-64.png, sr-256.png, upscale-1024.png). A manifest is a
 * text file of lines "image path TAB caption", paths relative to the manifest; # starts a comment.
 * Exit status: 0 with a report, 2 for bad arguments or unreadable input.
 */
public final class FidelityMain {

    /** One image, its name in the report and the caption it was made from. */
    record Pair(String name, Path image, String caption) {}

    private FidelityMain() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 && !(args.length == 4 && args[2].equals("--failures"))) {
            err.println("usage: FidelityMain <world.json> <folder of PNGs with captions | manifest> [--failures N]");
            return 2;
        }
        try {
            int failures = args.length == 4 ? Integer.parseInt(args[3]) : 20;
            World world = World.load(Path.of(args[0]));
            Path input = Path.of(args[1]);
            List<Pair> pairs = Files.isDirectory(input) ? folder(input) : manifest(input);
            if (pairs.isEmpty()) {
                err.println("no images in " + input);
                return 2;
            }
            FidelityReport report = new FidelityReport(world);
            for (Pair p : pairs) {
                report.add(p.name(), p.caption(), read(p.image()));
            }
            out.print(report.format(failures));
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("fidelity: " + e.getMessage());
            return 2;
        }
    }

    static List<Pair> folder(Path dir) throws IOException {
        List<Path> pngs;
        try (Stream<Path> files = Files.walk(dir)) {
            pngs = files.filter(f -> f.getFileName().toString().endsWith(".png")).sorted().collect(Collectors.toList());
        }
        List<Pair> pairs = new ArrayList<>();
        for (Path png : pngs) {
            String name = png.getFileName().toString();
            Path own = png.resolveSibling(name.substring(0, name.length() - ".png".length()) + ".txt");
            Path shared = png.resolveSibling("caption.txt");
            Path caption = Files.isRegularFile(own) ? own : shared;
            if (!Files.isRegularFile(caption)) {
                throw new IOException("no caption for " + png + " (expected " + own.getFileName() + " or caption.txt)");
            }
            String text = Files.readString(caption, StandardCharsets.UTF_8).trim();
            pairs.add(new Pair(dir.relativize(png).toString(), png, text));
        }
        return pairs;
    }

    static List<Pair> manifest(Path file) throws IOException {
        List<Pair> pairs = new ArrayList<>();
        Path base = file.toAbsolutePath().getParent();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new IOException(file + ":" + n + ": expected 'image path<TAB>caption'");
            }
            String image = line.substring(0, tab).trim();
            pairs.add(new Pair(image, base.resolve(image), line.substring(tab + 1).trim()));
        }
        return pairs;
    }

    private static BufferedImage read(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null) {
            throw new IOException("not an image: " + png);
        }
        return image;
    }
}
