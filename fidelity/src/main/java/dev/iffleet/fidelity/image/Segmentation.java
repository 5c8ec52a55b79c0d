package dev.iffleet.fidelity.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Foreground pixels (by default those farther than a threshold from the background colour) grouped
 * into 8-connected blobs; blobs smaller than a minimum area (specks) are dropped back into the background.
 */
public final class Segmentation {

    private final int width;
    private final int[] labels;
    private final List<Blob> blobs;

    private Segmentation(int width, int[] labels, List<Blob> blobs) {
        this.width = width;
        this.labels = labels;
        this.blobs = blobs;
    }

    /** Blobs of the pixels farther than threshold from the background colour. */
    public static Segmentation of(WorkingImage image, double[] background, double threshold, int minArea) {
        boolean[] fg = new boolean[image.size()];
        for (int i = 0; i < fg.length; i++) {
            fg[i] = image.distance(i, background) > threshold;
        }
        return of(fg, image.width(), image.height(), minArea);
    }

    /** Blobs of a foreground mask (w x h, row by row). */
    public static Segmentation of(boolean[] fg, int w, int h, int minArea) {
        int[] labels = new int[fg.length];
        int[] queue = new int[fg.length];
        List<Blob> blobs = new ArrayList<>();
        int next = 1;
        for (int seed = 0; seed < fg.length; seed++) {
            if (!fg[seed] || labels[seed] != 0) {
                continue;
            }
            int label = next++;
            int head = 0;
            int tail = 0;
            queue[tail++] = seed;
            labels[seed] = label;
            int minX = w;
            int minY = h;
            int maxX = -1;
            int maxY = -1;
            while (head < tail) {
                int p = queue[head++];
                int px = p % w;
                int py = p / w;
                minX = Math.min(minX, px);
                maxX = Math.max(maxX, px);
                minY = Math.min(minY, py);
                maxY = Math.max(maxY, py);
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        int ny = py + dy;
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                            int n = ny * w + nx;
                            if (fg[n] && labels[n] == 0) {
                                labels[n] = label;
                                queue[tail++] = n;
                            }
                        }
                    }
                }
            }
            int[] pixels = Arrays.copyOf(queue, tail);
            if (tail < minArea) {
                for (int p : pixels) {
                    labels[p] = -1;
                }
            } else {
                blobs.add(new Blob(label, pixels, minX, minY, maxX, maxY));
            }
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Math.max(labels[i], 0);
        }
        blobs.sort(Comparator.comparingInt(Blob::area).reversed());
        return new Segmentation(w, labels, blobs);
    }

    /** Blobs, largest first. */
    public List<Blob> blobs() {
        return blobs;
    }

    /** The label of pixel (x, y): 0 for background and specks, else its blob's label. */
    public int label(int x, int y) {
        return labels[y * width + x];
    }
}
