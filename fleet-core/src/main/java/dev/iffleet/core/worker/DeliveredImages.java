package dev.iffleet.core.worker;

import dev.iffleet.core.image.Watermark;
import dev.iffleet.core.job.Outputs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Turns a stage's batch into the PNGs a caller downloads: images the safety checker flagged become black (as
 * diffusers' IF pipelines blank them) and are reported on the job; the others carry the visible watermark unless the
 * job turned it off. The tensor handed to the next stage is not watermarked.
 */
public final class DeliveredImages {

    private DeliveredImages() {}

    /**
     * @param flagged per image, whether the pack's safety checker flagged it (same length as {@code images})
     * @return PNG bytes by artifact name, {@link Outputs#png(int)}
     */
    public static Map<String, byte[]> encode(List<BufferedImage> images, boolean[] flagged, boolean watermark,
            StageContext ctx) {
        if (flagged.length != images.size()) {
            throw new IllegalArgumentException(flagged.length + " safety flags for " + images.size() + " images");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<Integer> blanked = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            BufferedImage img = images.get(i);
            if (flagged[i]) {
                img = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
                blanked.add(i);
            } else if (watermark) {
                Watermark.stamp(img);
            }
            out.put(Outputs.png(i), png(img));
        }
        if (!blanked.isEmpty()) {
            ctx.flag(blanked);
        }
        return out;
    }

    static byte[] png(BufferedImage img) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
