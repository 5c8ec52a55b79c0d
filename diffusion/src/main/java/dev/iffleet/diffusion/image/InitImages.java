package dev.iffleet.diffusion.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Prepares user images for img2img and inpainting as diffusers' IF pipelines preprocess PIL images: converted to
 * RGB (or L for masks), resized by {@link ImageResize#ifSize} with Pillow's bicubic filter, then scaled to
 * [-1, 1] (images) or binarised at 0.5 (masks). No DJL: the gateway can use it to validate and size inputs.
 *
 * <p>Pixels are read as Pillow would decode them: grey images (one band, or grey + alpha) from their 8-bit
 * samples as stored — not through AWT's linear-grey colour conversion, which would brighten them — and colour
 * images as their sRGB values with alpha dropped (Pillow's convert("RGB") does not composite). A 16-bit image
 * is read at 8 bits (its top byte per sample), where Pillow's own 16-bit handling differs.
 */
public final class InitImages {

    private InitImages() {}

    /**
     * preprocess_image of the IF img2img/inpainting pipelines: RGB, resized so the short side is side (stage I
     * 64, stage II 256 — the original image of stage-II img2img), each value v / 127.5 - 1 in float32.
     */
    public static PlanarImage image(BufferedImage img, int side) {
        ImageResize.Size size = ImageResize.ifSize(img.getWidth(), img.getHeight(), side);
        byte[] rgb = ImageResize.bicubic(rgb(img), img.getWidth(), img.getHeight(), 3, size.width(), size.height());
        int plane = size.width() * size.height();
        float[] data = new float[3 * plane];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                // numpy: uint8 -> float32, / 127.5 and - 1 in float32.
                data[c * plane + p] = (rgb[p * 3 + c] & 0xff) / 127.5f - 1f;
            }
        }
        return new PlanarImage(3, size.height(), size.width(), data);
    }

    /**
     * preprocess_mask_image of the IF inpainting pipelines: luminance (Pillow's convert("L")), resized as
     * {@link #image}, then v / 255 &gt;= 0.5 gives 1 (repaint) and anything less 0 (keep). An image and its mask
     * of the same aspect ratio get the same size; callers should reject a pair that does not.
     */
    public static PlanarImage mask(BufferedImage img, int side) {
        ImageResize.Size size = ImageResize.ifSize(img.getWidth(), img.getHeight(), side);
        byte[] l = ImageResize.bicubic(luminance(img), img.getWidth(), img.getHeight(), 1, size.width(),
                size.height());
        float[] data = new float[l.length];
        for (int p = 0; p < l.length; p++) {
            data[p] = (l[p] & 0xff) / 255f >= 0.5f ? 1f : 0f;
        }
        return new PlanarImage(1, size.height(), size.width(), data);
    }

    /** The image's RGB samples, (H, W, 3) interleaved, as Pillow's convert("RGB") sees them. */
    static byte[] rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        boolean grey = isGrey(img);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                if (grey) {
                    byte v = greySample(img.getRaster(), x, y);
                    out[i] = v;
                    out[i + 1] = v;
                    out[i + 2] = v;
                } else {
                    int argb = img.getRGB(x, y);
                    out[i] = (byte) (argb >> 16);
                    out[i + 1] = (byte) (argb >> 8);
                    out[i + 2] = (byte) argb;
                }
            }
        }
        return out;
    }

    /** The image's luminance, (H, W), as Pillow's convert("L"): grey as stored, colour by ITU-R 601-2. */
    static byte[] luminance(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        if (isGrey(img)) {
            byte[] out = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = greySample(img.getRaster(), x, y);
                }
            }
            return out;
        }
        byte[] rgb = rgb(img);
        byte[] out = new byte[w * h];
        for (int p = 0; p < out.length; p++) {
            int r = rgb[3 * p] & 0xff;
            int g = rgb[3 * p + 1] & 0xff;
            int b = rgb[3 * p + 2] & 0xff;
            // Pillow's L24 fixed-point weights (0.299, 0.587, 0.114 in 16-bit) with rounding.
            out[p] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
        return out;
    }

    /** One grey band, or grey plus alpha, and no palette. */
    static boolean isGrey(BufferedImage img) {
        int bands = img.getRaster().getNumBands();
        return !(img.getColorModel() instanceof IndexColorModel) && (bands == 1 || bands == 2);
    }

    private static byte greySample(Raster raster, int x, int y) {
        int bits = raster.getSampleModel().getSampleSize(0);
        int v = raster.getSample(x, y, 0);
        return (byte) (bits > 8 ? v >> (bits - 8) : bits < 8 ? v * 255 / ((1 << bits) - 1) : v);
    }
}
