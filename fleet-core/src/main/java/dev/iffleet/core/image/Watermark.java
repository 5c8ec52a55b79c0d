package dev.iffleet.core.image;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * Stamps if-fleet's visible mark on output images where and how large DeepFloyd IF stamps its own: for a W x H
 * image, K = sqrt(W·H) / 1024, a square of side int(62·K) whose bottom-right corner is at
 * (W - int(14·K), H - int(14·K)), alpha-composited (IF's {@code to_images}, and diffusers'
 * {@code IFWatermarker.apply_watermark}). The mark itself is ours ({@link WatermarkLogo}), drawn at the stamp's
 * size rather than resized from a 62 px bitmap. Images under about 17 px a side get no stamp (int(62·K) = 0).
 */
public final class Watermark {

    /** Where a stamp goes: top-left corner and side, in pixels; it may reach past the image's edges. */
    public record Box(int x, int y, int size) {}

    /** A width and height in pixels. */
    public record Size(int width, int height) {}

    private Watermark() {}

    /** The stamp's box on a {@code width x height} image. */
    public static Box box(int width, int height) {
        // IF: K = (S2 / S1) ** 0.5 with S1 = 1024², S2 = w·h; sqrt is what a correctly rounded pow(x, 0.5) gives
        double k = Math.sqrt((double) width * height / (1024.0 * 1024.0));
        int size = (int) (k * 62);
        int margin = (int) (14 * k);
        return new Box(width - margin - size, height - margin - size, size);
    }

    /**
     * The size IF shows an image at before stamping it: an image whose shorter side is under
     * {@code sampleSize} is enlarged by sampleSize / shorter side (truncated), others keep their size. diffusers'
     * {@code apply_watermark} computes the stamp for this size but skips the enlargement, which puts the stamp
     * off small images; {@link #stampAtSampleSize} enlarges as IF does.
     */
    public static Size outputSize(int width, int height, int sampleSize) {
        double coef = Math.min((double) height / sampleSize, (double) width / sampleSize);
        return coef < 1 ? new Size((int) (width / coef), (int) (height / coef)) : new Size(width, height);
    }

    /** Stamps {@code image} in place at {@link #box}; pixels outside the box are left untouched. */
    public static void stamp(BufferedImage image) {
        Box box = box(image.getWidth(), image.getHeight());
        if (box.size() <= 0) {
            return;
        }
        Graphics2D g = image.createGraphics();
        try {
            g.drawImage(WatermarkLogo.render(box.size()), box.x(), box.y(), null);
        } finally {
            g.dispose();
        }
    }

    /**
     * IF's {@code to_images}: enlarges {@code image} to {@link #outputSize} with nearest-neighbour sampling
     * (a new image, when it is enlarged) and stamps it.
     */
    public static BufferedImage stampAtSampleSize(BufferedImage image, int sampleSize) {
        Size size = outputSize(image.getWidth(), image.getHeight(), sampleSize);
        BufferedImage out = image;
        if (size.width() != image.getWidth() || size.height() != image.getHeight()) {
            out = nearest(image, size.width(), size.height());
        }
        stamp(out);
        return out;
    }

    /** Nearest-neighbour resize sampling each output pixel's centre, as Pillow's NEAREST does. */
    private static BufferedImage nearest(BufferedImage src, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        double sx = (double) src.getWidth() / width;
        double sy = (double) src.getHeight() / height;
        for (int y = 0; y < height; y++) {
            int yy = Math.min((int) ((y + 0.5) * sy), src.getHeight() - 1);
            for (int x = 0; x < width; x++) {
                int xx = Math.min((int) ((x + 0.5) * sx), src.getWidth() - 1);
                out.setRGB(x, y, src.getRGB(xx, yy));
            }
        }
        return out;
    }
}
