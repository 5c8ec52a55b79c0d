package dev.iffleet.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Pixel conversions done by hand rather than through Java2D, whose grey colour space is linear: drawing an
 * 8-bit grey PNG onto an RGB image would brighten every mid-tone.
 */
final class Pixels {

    private Pixels() {}

    /** An 8-bit sRGB copy of {@code src}; translucent pixels are composited over white. */
    static BufferedImage toRgbOnWhite(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            argbRow(src, y, row);
            for (int x = 0; x < w; x++) {
                row[x] = overWhite(row[x]);
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /**
     * The luma of each pixel as Pillow's {@code convert("L")} computes it (ITU-R 601-2, fixed point), alpha
     * ignored as Pillow ignores it; grey inputs keep their grey values.
     */
    static BufferedImage luminance(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = out.getRaster();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            argbRow(src, y, row);
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, luma(row[x]));
            }
        }
        return out;
    }

    /** Pillow's L24: (R·19595 + G·38470 + B·7471 + 0x8000) >> 16. */
    static int luma(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** Straight-alpha ARGB composited over opaque white, rounded to nearest. */
    static int overWhite(int argb) {
        int a = argb >>> 24;
        if (a == 0xFF) {
            return argb & 0xFFFFFF;
        }
        int white = 255 * (255 - a);
        int r = (((argb >> 16) & 0xFF) * a + white + 127) / 255;
        int g = (((argb >> 8) & 0xFF) * a + white + 127) / 255;
        int b = ((argb & 0xFF) * a + white + 127) / 255;
        return (r << 16) | (g << 8) | b;
    }

    /** One row as straight-alpha 8-bit ARGB; grey rasters are read sample by sample to avoid gamma changes. */
    private static void argbRow(BufferedImage src, int y, int[] row) {
        ColorModel cm = src.getColorModel();
        if (!(cm instanceof ComponentColorModel) || cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            src.getRGB(0, y, src.getWidth(), 1, row, 0, src.getWidth());
            return;
        }
        Raster raster = src.getRaster();
        int greyMax = (1 << cm.getComponentSize(0)) - 1;
        int alphaMax = cm.hasAlpha() ? (1 << cm.getComponentSize(1)) - 1 : 0;
        for (int x = 0; x < row.length; x++) {
            int g = to8(raster.getSample(x, y, 0), greyMax);
            int a = cm.hasAlpha() ? to8(raster.getSample(x, y, 1), alphaMax) : 0xFF;
            row[x] = (a << 24) | (g << 16) | (g << 8) | g;
        }
    }

    private static int to8(int sample, int max) {
        return max == 0xFF ? sample : (int) ((sample * 255L + max / 2) / max);
    }
}
