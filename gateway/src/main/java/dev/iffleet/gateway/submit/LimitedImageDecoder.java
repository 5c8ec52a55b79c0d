package dev.iffleet.gateway.submit;

import dev.iffleet.core.image.ImageLimits;
import dev.iffleet.core.image.InputImages;
import dev.iffleet.core.image.InvalidImageException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Accepts PNG, JPEG and WebP uploads within the operator's byte and pixel limits (checked before decoding) and
 * stores them as PNG: RGB for the image, 8-bit grey for the mask, so the workers read one format.
 */
public final class LimitedImageDecoder implements ImageDecoder {

    private final InputImages images;

    public LimitedImageDecoder(ImageLimits limits) {
        this.images = new InputImages(limits);
    }

    @Override
    public Decoded decode(String field, byte[] bytes) {
        BufferedImage img;
        try {
            img = field.equals("mask") ? images.decodeMask(bytes) : images.decode(bytes);
        } catch (InvalidImageException e) {
            throw new InvalidRequestException(field, field + ": " + e.getMessage(), e.code());
        }
        return new Decoded(img.getWidth(), img.getHeight(), png(img));
    }

    private static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
