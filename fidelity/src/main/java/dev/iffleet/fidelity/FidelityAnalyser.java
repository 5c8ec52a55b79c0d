package dev.iffleet.fidelity;

import dev.iffleet.fidelity.image.Blob;
import dev.iffleet.fidelity.image.BlobColour;
import dev.iffleet.fidelity.image.Coverage;
import dev.iffleet.fidelity.image.Outlines;
import dev.iffleet.fidelity.image.Segmentation;
import dev.iffleet.fidelity.image.ShapeClassifier;
import dev.iffleet.fidelity.image.ShapeFeatures;
import dev.iffleet.fidelity.image.WorkingImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks an image against the scene its caption describes, by plain image analysis: the background is
 * the border's median colour; objects are blobs of pixels unlike it; each blob's core colour, shape
 * features and centroid are compared with what the caption states. Images larger than 256 px are first
 * area-averaged to 256 px, so a 1024 px image and its 64 px counterpart go through the same steps.
 */
public final class FidelityAnalyser {

    /** Side of the working image; larger inputs are area-averaged down to it. */
    static final int WORKING_SIDE = 256;
    /** Width of the border band the background is read from, as a fraction of the side. */
    static final double BORDER = 0.03;
    /** Blobs under this fraction of the image are specks (a small star covers 0.012). */
    static final double MIN_BLOB = 0.002;
    /** Foreground threshold as a share of the weakest contrast the world allows (orange on yellow). */
    static final double THRESHOLD_SHARE = 0.35;
    /** Background noise (per-channel standard deviation, 0-255) tolerated without smoothing. */
    static final double NOISE_TARGET = 5;
    /** The strongest smoothing applied against noise, in working-image pixels. */
    static final double MAX_SMOOTHING = 1.5;
    /** At most this many blobs, largest first, are considered as the stated objects. */
    static final int CANDIDATES = 6;

    private final World world;
    private final double threshold;
    private final ObjectMatcher objects;
    private final SignReader signs;

    public FidelityAnalyser(World world) {
        this.world = world;
        this.threshold = THRESHOLD_SHARE * world.weakestContrast();
        this.objects = new ObjectMatcher(world);
        this.signs = new SignReader(world);
    }

    public Verdict check(Scene scene, BufferedImage image) {
        WorkingImage work = WorkingImage.of(image, WORKING_SIDE);
        int[] border = border(work);
        double smoothing = smoothingFor(work.noise(border, border.length));
        if (smoothing > 0) {
            work = work.smoothed(smoothing);
        }
        double[] background = work.median(border, border.length);
        NamedColour seen = NamedColour.nearest(world.backgrounds().values(), background[0], background[1],
                background[2]);
        List<Check> checks = new ArrayList<>();
        checks.add(Check.of(CheckKind.BACKGROUND, -1, scene.background().name(), seen.name()));
        int minArea = Math.max(2, (int) Math.round(MIN_BLOB * work.size()));
        Segmentation segmentation = Segmentation.of(work, background, threshold, minArea);
        if (scene.form() == Form.SIGN) {
            checks.addAll(signs.read(scene, work, segmentation, background));
        } else {
            Segmentation outlines = Outlines.of(work, segmentation, background, minArea);
            List<Blob> blobs = outsideStamp(outlines.blobs(), work);
            checks.addAll(objects.match(scene, observe(work, outlines, blobs, background), blobs.size()));
        }
        return new Verdict(scene, checks);
    }

    /**
     * The blobs that are not the fleet's watermark: a blob wholly inside the stamp's box (side int(62K), its
     * bottom-right corner int(14K) from the image's, K = sqrt(w·h)/1024; on a 64 px image 3 px) is the mark.
     */
    static List<Blob> outsideStamp(List<Blob> blobs, WorkingImage work) {
        double k = Math.sqrt((double) work.width() * work.height()) / 1024.0;
        double size = Math.max(62 * k, 2);
        double right = work.width() - 14 * k;
        double bottom = work.height() - 14 * k;
        // one working pixel of slack: resampling to the working size smears the stamp's edge
        return blobs.stream()
                .filter(b -> !(b.minX() >= right - size - 1 && b.minY() >= bottom - size - 1
                        && b.maxX() <= right + 1 && b.maxY() <= bottom + 1))
                .toList();
    }

    private List<ObservedObject> observe(WorkingImage work, Segmentation segmentation, List<Blob> blobs,
            double[] background) {
        List<ObservedObject> observed = new ArrayList<>();
        for (Blob blob : blobs.subList(0, Math.min(CANDIDATES, blobs.size()))) {
            double[] paint = BlobColour.core(work, blob, background);
            ShapeFeatures f = ShapeFeatures.measure(Coverage.of(work, segmentation, blob, background, paint),
                    work.width(), work.height());
            NamedColour colour = NamedColour.nearest(world.colours().values(), paint[0], paint[1], paint[2]);
            Shape shape = ShapeClassifier.classify(f);
            double size = Math.sqrt(f.area() / world.geometry().areaFactor(shape));
            observed.add(new ObservedObject(colour, shape, sizeName(size), f));
        }
        return observed;
    }

    /**
     * The size name nearest to a size, on a log scale (sizes are ratios). Sizes are measured from the
     * covered area and the shape's area per size squared, which blur and noise change least.
     */
    private String sizeName(double size) {
        String best = null;
        double bestGap = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Double> e : world.sizes().entrySet()) {
            double gap = Math.abs(Math.log(Math.max(size, 1e-6) / e.getValue()));
            if (gap < bestGap) {
                bestGap = gap;
                best = e.getKey();
            }
        }
        return best;
    }

    /**
     * The Gaussian blur (pixels) that brings background noise of this strength down to NOISE_TARGET,
     * or 0 for an image quiet enough as it is. Clean renders are never blurred, so their small shapes
     * keep their corners; noisy ones would otherwise break into specks at the foreground threshold.
     */
    static double smoothingFor(double noise) {
        if (noise <= NOISE_TARGET) {
            return 0;
        }
        for (double sigma = 0.3; sigma < MAX_SMOOTHING; sigma += 0.1) {
            if (noise * gain(sigma) <= NOISE_TARGET) {
                return sigma;
            }
        }
        return MAX_SMOOTHING;
    }

    /** Factor by which a discrete 2-D Gaussian of this sigma scales independent pixel noise. */
    private static double gain(double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double sum = 0;
        double squares = 0;
        for (int k = -radius; k <= radius; k++) {
            double v = Math.exp(-k * k / (2 * sigma * sigma));
            sum += v;
            squares += v * v;
        }
        return squares / (sum * sum);
    }

    /** Pixel indices of the border band, which no object of the world reaches: the background. */
    static int[] border(WorkingImage work) {
        int w = work.width();
        int h = work.height();
        int band = Math.max(1, (int) Math.round(BORDER * Math.min(w, h)));
        int[] pixels = new int[work.size()];
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x < band || y < band || x >= w - band || y >= h - band) {
                    pixels[n++] = y * w + x;
                }
            }
        }
        return Arrays.copyOf(pixels, n);
    }
}
