package dev.iffleet.core.image;

/**
 * What an input image may weigh before it is decoded: encoded bytes, and width, height and pixel count as the
 * file's header states them (so a small file that claims a huge canvas is refused without allocating it).
 */
public record ImageLimits(long maxBytes, long maxPixels, int maxSide) {

    /** 10 MiB, 4096 px a side, 16.8 Mpx: well above IF's 1024² output, well below a worker's heap. */
    public static final ImageLimits DEFAULT = new ImageLimits(10L << 20, 4096L * 4096, 4096);

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || maxSide <= 0) {
            throw new IllegalArgumentException("image limits must be positive: " + maxBytes + " bytes, "
                    + maxPixels + " pixels, " + maxSide + " px a side");
        }
    }
}
