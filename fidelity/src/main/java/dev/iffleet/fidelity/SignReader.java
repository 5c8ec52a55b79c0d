package dev.iffleet.fidelity;

import dev.iffleet.fidelity.image.Blob;
import dev.iffleet.fidelity.image.Coverage;
import dev.iffleet.fidelity.image.Masks;
import dev.iffleet.fidelity.image.Segmentation;
import dev.iffleet.fidelity.image.WorkingImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a sign. The largest blob with its holes filled (text in the background's colour leaves holes,
 * and the counters of such glyphs are blobs of their own inside them) must be the only blob; its
 * interior's median colour is the sign's colour; where that colour covers at least half of a pixel,
 * holes filled, is the box, which must be centred and of the stated size; the interior pixels nearer
 * the text colour than the sign colour, grouped into blobs, are the glyphs, counted but not read.
 */
final class SignReader {

    /** Centre offset allowed, in canvas fractions. */
    static final double CENTRE_TOLERANCE = 0.05;
    /** Relative error allowed on the box's width and height. */
    static final double SIZE_TOLERANCE = 0.12;
    /** Least share of the measured rectangle the box covers (rounded corners take 0.2 %). */
    static final double MIN_FILL = 0.9;
    /** Interior = filled box shrunk by this fraction of the side (so edges do not count as text). */
    static final double INSET = 0.015;
    /** Glyphs smaller than this share of cap height squared are specks. */
    static final double MIN_GLYPH = 0.05;

    private final World world;

    SignReader(World world) {
        this.world = world;
    }

    List<Check> read(Scene scene, WorkingImage work, Segmentation segmentation, double[] background) {
        Scene.Sign sign = scene.sign().orElseThrow(() -> new IllegalArgumentException("not a sign scene"));
        World.SignSpec spec = world.sign();
        List<Check> checks = new ArrayList<>();
        String expectedBox = box(spec.centre().x(), spec.centre().y(), spec.width(), spec.height());
        String glyphs = sign.text().length() + " glyphs";
        int w = work.width();
        int h = work.height();
        boolean[] filled = new boolean[work.size()];
        if (!segmentation.blobs().isEmpty()) {
            for (int p : segmentation.blobs().get(0).pixels()) {
                filled[p] = true;
            }
        }
        filled = withHoles(filled, w, h);
        int[] inside = pixels(Masks.erode(filled, w, h, Math.max(1, (int) Math.round(INSET * Math.min(w, h)))));
        checks.add(Check.of(CheckKind.OBJECT_COUNT, -1, "1",
                String.valueOf(segmentation.blobs().isEmpty() ? 0 : 1 + outside(segmentation, filled, work))));
        if (inside.length == 0) {
            checks.add(Check.judged(CheckKind.SIGN_BOX, -1, false, expectedBox, "no box"));
            checks.add(Check.skipped(CheckKind.SIGN_COLOUR, -1, sign.colour().name()));
            checks.add(Check.skipped(CheckKind.SIGN_TEXT_LENGTH, -1, glyphs));
            return checks;
        }
        double[] paint = work.median(inside, inside.length);

        boolean[] box = new boolean[work.size()];
        for (int p : segmentation.blobs().get(0).pixels()) {
            box[p] = Coverage.fraction(work, p, background, paint) >= 0.5;
        }
        box = withHoles(box, w, h);
        double[] xs = span(box, w, h, true);
        double[] ys = span(box, w, h, false);
        double fill = Masks.count(box) / (xs[1] * ys[1] * w * h);
        boolean boxOk = Math.abs(xs[0] - spec.centre().x()) <= CENTRE_TOLERANCE
                && Math.abs(ys[0] - spec.centre().y()) <= CENTRE_TOLERANCE
                && Math.abs(xs[1] / spec.width() - 1) <= SIZE_TOLERANCE
                && Math.abs(ys[1] / spec.height() - 1) <= SIZE_TOLERANCE
                && fill >= MIN_FILL;
        checks.add(Check.judged(CheckKind.SIGN_BOX, -1, boxOk, expectedBox,
                box(xs[0], ys[0], xs[1], ys[1]) + String.format(Locale.ROOT, " fill %.2f", fill)));

        NamedColour seen = NamedColour.nearest(world.colours().values(), paint[0], paint[1], paint[2]);
        checks.add(Check.of(CheckKind.SIGN_COLOUR, -1, sign.colour().name(), seen.name()));

        NamedColour text = world.colour(spec.textColour(sign.colour().name()));
        double[] ink = {text.r(), text.g(), text.b()};
        boolean[] textMask = new boolean[work.size()];
        for (int p : inside) {
            textMask[p] = work.distance(p, ink) < work.distance(p, paint);
        }
        double cap = spec.capHeight() * h;
        int count = Segmentation.of(textMask, w, h, Math.max(2, (int) Math.round(MIN_GLYPH * cap * cap)))
                .blobs().size();
        checks.add(Check.judged(CheckKind.SIGN_TEXT_LENGTH, -1, count == sign.text().length(), glyphs,
                count + " glyphs"));
        return checks;
    }

    /**
     * {centre, length} of the box along x (or y), in fractions of the side: the lines (columns or rows)
     * holding at least half as many box pixels as the fullest one. A speck stuck to an edge moves it not.
     */
    private static double[] span(boolean[] mask, int w, int h, boolean alongX) {
        int lines = alongX ? w : h;
        int[] counts = new int[lines];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask[y * w + x]) {
                    counts[alongX ? x : y]++;
                }
            }
        }
        int max = 0;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        double sum = 0;
        int n = 0;
        for (int i = 0; i < lines; i++) {
            if (max > 0 && counts[i] * 2 >= max) {
                sum += i + 0.5;
                n++;
            }
        }
        return n == 0 ? new double[] {0, 0} : new double[] {sum / n / lines, (double) n / lines};
    }

    private static boolean[] withHoles(boolean[] mask, int w, int h) {
        boolean[] holes = Masks.enclosed(mask, w, h);
        for (int i = 0; i < mask.length; i++) {
            holes[i] |= mask[i];
        }
        return holes;
    }

    private static int[] pixels(boolean[] mask) {
        int[] pixels = new int[Masks.count(mask)];
        int n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                pixels[n++] = i;
            }
        }
        return pixels;
    }

    /** Blobs other than the box and not inside it. */
    /** Blobs besides the sign's that are neither inside its box nor the fleet's watermark stamp. */
    private static long outside(Segmentation segmentation, boolean[] box, WorkingImage work) {
        List<Blob> rest = segmentation.blobs().subList(1, segmentation.blobs().size());
        return FidelityAnalyser.outsideStamp(rest, work).stream().filter(b -> !box[b.pixels()[0]]).count();
    }

    private static String box(double cx, double cy, double width, double height) {
        return String.format(Locale.ROOT, "%.2fx%.2f at (%.2f,%.2f)", width, height, cx, cy);
    }
}
