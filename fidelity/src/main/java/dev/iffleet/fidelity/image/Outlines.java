package dev.iffleet.fidelity.image;

/**
 * Objects at their drawn outlines. The foreground threshold is low (it must catch the weakest contrast),
 * so a blurred image's fringes can join neighbouring objects into one blob; keeping only the pixels a
 * blob's paint covers at least half of separates them again, as the shapes were drawn.
 */
public final class Outlines {

    private Outlines() {}

    public static Segmentation of(WorkingImage image, Segmentation coarse, double[] background, int minArea) {
        boolean[] mask = new boolean[image.size()];
        for (Blob blob : coarse.blobs()) {
            double[] paint = BlobColour.core(image, blob, background);
            for (int p : blob.pixels()) {
                mask[p] = Coverage.fraction(image, p, background, paint) >= 0.5;
            }
        }
        return Segmentation.of(mask, image.width(), image.height(), minArea);
    }
}
