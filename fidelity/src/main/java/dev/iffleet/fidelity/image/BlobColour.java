package dev.iffleet.fidelity.image;

import java.util.Arrays;

/**
 * The colour a blob is painted in. Edge pixels blend the paint with the background (anti-aliasing),
 * and at 64 px a thin ring is mostly edge, so only the pixels farthest from the background count:
 * those within 80 % of the 90th-percentile distance, averaged.
 */
public final class BlobColour {

    private BlobColour() {}

    /** {r, g, b} of the blob's core. */
    public static double[] core(WorkingImage image, Blob blob, double[] background) {
        int n = blob.area();
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            d[k] = image.distance(blob.pixels()[k], background);
        }
        double[] sorted = d.clone();
        Arrays.sort(sorted);
        double cut = 0.8 * sorted[Math.min(n - 1, (int) (0.9 * n))];
        double[] sum = new double[3];
        int count = 0;
        for (int k = 0; k < n; k++) {
            if (d[k] >= cut) {
                int p = blob.pixels()[k];
                sum[0] += image.r(p);
                sum[1] += image.g(p);
                sum[2] += image.b(p);
                count++;
            }
        }
        return new double[] {sum[0] / count, sum[1] / count, sum[2] / count};
    }
}
