package dev.iffleet.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes uploaded images and masks (PNG, JPEG including CMYK, WebP lossy and lossless) within {@link ImageLimits}.
 * Every limit is checked before pixel data is decoded: the byte size first, then width and height as the header
 * states them. Failures are {@link InvalidImageException}s with a code. Only the first frame of an animated
 * file is read; EXIF orientation is not applied. Thread-safe: each call uses its own reader.
 */
public final class InputImages {

    static {
        // pick up the WebP and CMYK-JPEG plug-ins even where the context class loader hid them at first use
        ImageIO.scanForPlugins();
    }

    private final ImageLimits limits;

    public InputImages(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ImageLimits limits() {
        return limits;
    }

    /**
     * An image as opaque 8-bit sRGB ({@code TYPE_INT_RGB}). Transparency is composited over white, so a
     * transparent background reads as white paper rather than as the black Pillow's {@code convert("RGB")} would
     * leave; 16-bit channels are scaled to 8 bits; grey images become grey RGB.
     */
    public BufferedImage decode(byte[] bytes) {
        return Pixels.toRgbOnWhite(read(bytes, false));
    }

    /** {@link #decode(byte[])} of a base64 string or {@code data:image/...;base64,} URL. */
    public BufferedImage decodeBase64(String base64OrDataUrl) {
        return decode(Base64Images.decode(base64OrDataUrl, limits.maxBytes()));
    }

    /**
     * A mask as 8-bit luma ({@code TYPE_BYTE_GRAY}), computed as Pillow's {@code convert("L")} does: colour
     * masks are weighted 0.299/0.587/0.114 and alpha is ignored, so a transparent pixel counts by its stored
     * colour. Unreadable masks fail with {@code mask_not_an_image}; the size limits apply as for images.
     */
    public BufferedImage decodeMask(byte[] bytes) {
        return Pixels.luminance(read(bytes, true));
    }

    /** {@link #decodeMask(byte[])} of a base64 string or data URL. */
    public BufferedImage decodeMaskBase64(String base64OrDataUrl) {
        return decodeMask(Base64Images.decode(base64OrDataUrl, limits.maxBytes()));
    }

    private BufferedImage read(byte[] bytes, boolean mask) {
        String what = mask ? "mask" : "image";
        ImageError unreadable = mask ? ImageError.MASK_NOT_AN_IMAGE : ImageError.CORRUPT_IMAGE;
        if (bytes.length > limits.maxBytes()) {
            throw new InvalidImageException(ImageError.IMAGE_TOO_LARGE, "the " + what + " is " + bytes.length
                    + " bytes, more than the " + limits.maxBytes() + " allowed");
        }
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new InvalidImageException(
                mask ? ImageError.MASK_NOT_AN_IMAGE : ImageError.UNSUPPORTED_IMAGE,
                bytes.length == 0 ? "the " + what + " is empty" : "the " + what + " is not PNG, JPEG or WebP"));
        ImageReader reader = reader(format);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            checkSize(reader.getWidth(0), reader.getHeight(0), what);
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidImageException invalid) {
                throw invalid;
            }
            throw new InvalidImageException(unreadable, "the " + what + " could not be decoded as "
                    + format + ": " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    private void checkSize(int width, int height, String what) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("header states " + width + "x" + height);
        }
        if ((long) width * height > limits.maxPixels()) {
            throw new InvalidImageException(ImageError.IMAGE_TOO_MANY_PIXELS, "the " + what + " is " + width + "x"
                    + height + ", more than " + limits.maxPixels() + " pixels");
        }
        if (width > limits.maxSide() || height > limits.maxSide()) {
            throw new InvalidImageException(ImageError.IMAGE_SIDE_TOO_LONG, "the " + what + " is " + width + "x"
                    + height + "; each side may be at most " + limits.maxSide() + " px");
        }
    }

    private static ImageReader reader(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format + " on the class path");
        }
        return readers.next();
    }
}
