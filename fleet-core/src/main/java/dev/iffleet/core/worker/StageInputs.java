package dev.iffleet.core.worker;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.image.ImageTensor;
import dev.iffleet.core.image.ImageTensors;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The caller's uploads as a stage's tensors: the image resized (Pillow's bicubic, as IF's preprocessing) to the
 * stage's size in [-1, 1], the mask resized and binarised at 0.5 (1 = repaint), both repeated over the batch.
 */
public final class StageInputs {

    private StageInputs() {}

    /** (batch, 3, height, width) in [-1, 1]. */
    public static NDArray image(NDManager m, byte[] png, int width, int height, int batch) {
        BufferedImage img = read(png, "image");
        if (img.getWidth() != width || img.getHeight() != height) {
            img = ImageTensors.resize(img, width, height);
        }
        return repeat(m, ImageTensors.toSignedChw(img), batch);
    }

    /** (batch, 1, height, width) of 0 (keep) and 1 (repaint). */
    public static NDArray mask(NDManager m, byte[] png, int width, int height, int batch) {
        return repeat(m, ImageTensors.binaryMask(read(png, "mask"), width, height), batch);
    }

    private static NDArray repeat(NDManager m, ImageTensor t, int batch) {
        NDArray one = m.create(t.data(), new Shape(1, t.channels(), t.height(), t.width()));
        return batch == 1 ? one : one.repeat(0, batch);
    }

    private static BufferedImage read(byte[] png, String what) {
        try {
            BufferedImage img = javax.imageio.ImageIO.read(new ByteArrayInputStream(png));
            if (img == null) {
                throw new InvalidJobException("the job's " + what + " is not a readable image");
            }
            return img;
        } catch (IOException e) {
            throw new InvalidJobException("the job's " + what + " could not be read: " + e.getMessage(), e);
        }
    }
}
