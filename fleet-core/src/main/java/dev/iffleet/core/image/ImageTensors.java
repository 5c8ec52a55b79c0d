package dev.iffleet.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * The model-facing forms of decoded inputs, as IF's img2img and inpainting pipelines prepare them: images as
 * CHW floats in [-1, 1], masks as {0, 1}, resized with Pillow's bicubic filter.
 */
public final class ImageTensors {

    private ImageTensors() {}

    /** RGB as 3 x H x W floats {@code v / 127.5 - 1} (float32 arithmetic, as the pipelines' numpy code). */
    public static ImageTensor toSignedChw(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int plane = w * h;
        float[] data = new float[3 * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                data[i] = ((row[x] >> 16) & 0xFF) / 127.5f - 1f;
                data[plane + i] = ((row[x] >> 8) & 0xFF) / 127.5f - 1f;
                data[2 * plane + i] = (row[x] & 0xFF) / 127.5f - 1f;
            }
        }
        return new ImageTensor(data, 3, h, w);
    }

    /**
     * A mask as 1 x height x width of 0 and 1: luma (Pillow's {@code convert("L")}), bicubic-resized to the
     * given size when it differs, then {@code luma / 255 >= 0.5} is 1 (repaint) and below is 0 (keep), the
     * threshold of IF's inpainting pipeline.
     */
    public static ImageTensor binaryMask(BufferedImage mask, int width, int height) {
        int[] luma = lumaPlane(mask);
        int[] sized = Bicubic.resize(luma, mask.getWidth(), mask.getHeight(), width, height);
        float[] data = new float[sized.length];
        for (int i = 0; i < sized.length; i++) {
            data[i] = sized[i] / 255f >= 0.5f ? 1f : 0f;
        }
        return new ImageTensor(data, 1, height, width);
    }

    /** An opaque RGB image resized with Pillow's bicubic filter ({@code reducing_gap=None}), channel by channel. */
    public static BufferedImage resize(BufferedImage rgb, int width, int height) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] argb = rgb.getRGB(0, 0, w, h, null, 0, w);
        int[] out = new int[width * height];
        for (int shift = 0; shift <= 16; shift += 8) {
            int[] channel = new int[argb.length];
            for (int i = 0; i < argb.length; i++) {
                channel[i] = (argb[i] >> shift) & 0xFF;
            }
            int[] sized = Bicubic.resize(channel, w, h, width, height);
            for (int i = 0; i < sized.length; i++) {
                out[i] |= sized[i] << shift;
            }
        }
        BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        result.setRGB(0, 0, width, height, out, 0, width);
        return result;
    }

    private static int[] lumaPlane(BufferedImage mask) {
        BufferedImage gray = mask.getType() == BufferedImage.TYPE_BYTE_GRAY ? mask : Pixels.luminance(mask);
        Raster raster = gray.getRaster();
        return raster.getSamples(0, 0, gray.getWidth(), gray.getHeight(), 0, (int[]) null);
    }
}
