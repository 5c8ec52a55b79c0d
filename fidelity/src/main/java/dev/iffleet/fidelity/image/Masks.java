package dev.iffleet.fidelity.image;

/** Operations on binary masks stored row by row (w x h). */
public final class Masks {

    private static final int[] DX = {1, -1, 0, 0};
    private static final int[] DY = {0, 0, 1, -1};

    private Masks() {}

    /** Unset pixels that cannot reach the mask's border through unset pixels (4-connected): holes. */
    public static boolean[] enclosed(boolean[] mask, int w, int h) {
        boolean[] outside = new boolean[mask.length];
        int[] queue = new int[mask.length];
        int tail = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if ((x == 0 || y == 0 || x == w - 1 || y == h - 1) && !mask[i]) {
                    outside[i] = true;
                    queue[tail++] = i;
                }
            }
        }
        for (int head = 0; head < tail; head++) {
            int x = queue[head] % w;
            int y = queue[head] / w;
            for (int k = 0; k < 4; k++) {
                int nx = x + DX[k];
                int ny = y + DY[k];
                int n = ny * w + nx;
                if (nx >= 0 && ny >= 0 && nx < w && ny < h && !mask[n] && !outside[n]) {
                    outside[n] = true;
                    queue[tail++] = n;
                }
            }
        }
        boolean[] holes = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            holes[i] = !mask[i] && !outside[i];
        }
        return holes;
    }

    /** The mask shrunk by r pixels (a square structuring element); outside the image counts as unset. */
    public static boolean[] erode(boolean[] mask, int w, int h, int r) {
        boolean[] out = new boolean[mask.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = mask[y * w + x] && square(mask, w, h, x, y, r);
            }
        }
        return out;
    }

    private static boolean square(boolean[] mask, int w, int h, int x, int y, int r) {
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int nx = x + dx;
                int ny = y + dy;
                if (nx < 0 || ny < 0 || nx >= w || ny >= h || !mask[ny * w + nx]) {
                    return false;
                }
            }
        }
        return true;
    }

    public static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}
