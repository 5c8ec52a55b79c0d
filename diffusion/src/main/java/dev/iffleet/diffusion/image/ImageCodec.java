package dev.iffleet.diffusion.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Converts between the cascade's [-1, 1] NCHW float images and RGB PNG bytes. */
public final class ImageCodec {

    private ImageCodec() {}

    /**
     * Encodes (1, 3, H, W) or (3, H, W) in [-1, 1] as an RGB PNG, as diffusers' postprocess + numpy_to_pil:
     * round(clamp(x / 2 + 0.5, 0, 1) * 255), rounding half to even like numpy.
     */
    public static byte[] toPng(NDArray img) {
        Shape shape = img.getShape();
        if (shape.dimension() == 4 && shape.get(0) == 1) {
            img = img.get(0);
        }
        return png(toImage(img));
    }

    /** Each image of a batch (B, 3, H, W) in [-1, 1] as an RGB image, rounded as {@link #toPng} does. */
    public static List<BufferedImage> toImages(NDArray batch) {
        if (batch.getShape().dimension() != 4) {
            throw new IllegalArgumentException("expected (B, 3, H, W), got " + batch.getShape());
        }
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < batch.getShape().get(0); i++) {
            out.add(toImage(batch.get(i)));
        }
        return out;
    }

    /** One (3, H, W) image in [-1, 1] as an RGB image. */
    public static BufferedImage toImage(NDArray img) {
        Shape shape = img.getShape();
        if (shape.dimension() != 3 || shape.get(0) != 3) {
            throw new IllegalArgumentException("expected (1, 3, H, W) or (3, H, W), got " + img.getShape());
        }
        int h = (int) shape.get(1);
        int w = (int) shape.get(2);
        float[] data = img.toType(DataType.FLOAT32, false).toFloatArray();
        int plane = h * w;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int r = toByte(data[p]);
                int g = toByte(data[plane + p]);
                int b = toByte(data[2 * plane + p]);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage out) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a PNG (any colour model; alpha dropped; grey read as stored, see {@link InitImages}) to
     * (1, 3, H, W) float32 in [-1, 1]: v / 127.5 - 1 in float32, as the IF pipelines' preprocess_image does.
     */
    public static NDArray fromPng(NDManager manager, byte[] png) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (img == null) {
            throw new IllegalArgumentException("not a readable image");
        }
        return fromImage(manager, img);
    }

    /** An image (any colour model; alpha dropped) as (1, 3, H, W) float32 in [-1, 1]: v / 255 * 2 - 1. */
    public static NDArray fromImage(NDManager manager, BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        int plane = h * w;
        // a grey image is read as stored: getRGB would pass it through Java's linear-grey conversion (128 -> 188)
        boolean grey = !(img.getColorModel() instanceof java.awt.image.IndexColorModel)
                && img.getRaster().getNumBands() <= 2 && img.getRaster().getSampleModel().getSampleSize(0) == 8;
        float[] data = new float[3 * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int argb = grey ? img.getRaster().getSample(x, y, 0) * 0x010101 : img.getRGB(x, y);
                data[p] = ((argb >> 16) & 0xff) / 127.5f - 1f;
                data[plane + p] = ((argb >> 8) & 0xff) / 127.5f - 1f;
                data[2 * plane + p] = (argb & 0xff) / 127.5f - 1f;
            }
        }
        return manager.create(data, new Shape(1, 3, h, w));
    }

    private static int toByte(float v) {
        float unit = Math.min(Math.max(v / 2f + 0.5f, 0f), 1f);
        return (int) Math.rint(unit * 255f);
    }
}
