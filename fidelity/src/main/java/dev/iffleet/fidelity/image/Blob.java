package dev.iffleet.fidelity.image;

/** One connected foreground region: its label, its pixel indices and its bounding box (inclusive). */
public record Blob(int label, int[] pixels, int minX, int minY, int maxX, int maxY) {

    public int area() {
        return pixels.length;
    }
}
