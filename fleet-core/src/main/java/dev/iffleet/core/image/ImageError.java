package dev.iffleet.core.image;

/** Why an uploaded image or mask was refused; {@link #code()} is the machine-readable reason a client sees. */
public enum ImageError {
    /** More encoded bytes than {@link ImageLimits#maxBytes()}, checked before anything is decoded. */
    IMAGE_TOO_LARGE("image_too_large"),
    /** Width times height, read from the header, above {@link ImageLimits#maxPixels()}. */
    IMAGE_TOO_MANY_PIXELS("image_too_many_pixels"),
    /** Width or height, read from the header, above {@link ImageLimits#maxSide()}. */
    IMAGE_SIDE_TOO_LONG("image_side_too_long"),
    /** Not PNG, JPEG or WebP (sniffed from the first bytes), or empty. */
    UNSUPPORTED_IMAGE("unsupported_image"),
    /** Looks like PNG, JPEG or WebP but its header or pixel data cannot be read. */
    CORRUPT_IMAGE("corrupt_image"),
    /** A base64 or data-URL payload that is not valid base64. */
    INVALID_BASE64("invalid_base64"),
    /** A mask that is not a readable PNG, JPEG or WebP (the mask's form of the two errors above). */
    MASK_NOT_AN_IMAGE("mask_not_an_image");

    private final String code;

    ImageError(String code) {
        this.code = code;
    }

    /** The snake_case code put in problem responses, e.g. {@code image_too_large}. */
    public String code() {
        return code;
    }
}
