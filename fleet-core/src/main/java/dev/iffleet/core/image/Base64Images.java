package dev.iffleet.core.image;

import java.util.Base64;
import java.util.Locale;

/**
 * Turns the text form of an upload, plain base64 or a {@code data:image/...;base64,} URL, into bytes, refusing
 * it as {@code image_too_large} from its length alone, before a byte is allocated.
 */
public final class Base64Images {

    private Base64Images() {}

    /**
     * Decodes standard or URL-safe base64, with or without padding and line breaks, or a base64 data URL.
     *
     * @throws InvalidImageException {@code invalid_base64}, or {@code image_too_large} when the decoded size
     *     would exceed {@code maxBytes}
     */
    public static byte[] decode(String text, long maxBytes) {
        if (text == null) {
            throw new InvalidImageException(ImageError.INVALID_BASE64, "no image data");
        }
        String payload = text;
        if (startsWithIgnoreCase(text, "data:")) {
            int comma = text.indexOf(',');
            String header = comma < 0 ? "" : text.substring(5, comma).toLowerCase(Locale.ROOT);
            if (comma < 0 || !header.endsWith(";base64")) {
                throw new InvalidImageException(ImageError.INVALID_BASE64,
                        "a data URL must be of the form data:image/<type>;base64,<data>");
            }
            payload = text.substring(comma + 1);
        }
        long significant = payload.chars().filter(c -> !isBase64Space(c)).count();
        // 4 characters carry 3 bytes; padding can only make the result shorter
        if (significant / 4 * 3 + significant % 4 > maxBytes + 2) {
            throw new InvalidImageException(ImageError.IMAGE_TOO_LARGE, "the image is larger than "
                    + maxBytes + " bytes (about " + significant * 3 / 4 + " bytes of base64 data)");
        }
        StringBuilder compact = new StringBuilder((int) significant);
        payload.chars().filter(c -> !isBase64Space(c)).forEach(c -> compact.append((char) c));
        boolean urlSafe = compact.indexOf("-") >= 0 || compact.indexOf("_") >= 0;
        byte[] bytes;
        try {
            bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(ImageError.INVALID_BASE64, "the image is not valid base64: "
                    + e.getMessage(), e);
        }
        if (bytes.length > maxBytes) {
            throw new InvalidImageException(ImageError.IMAGE_TOO_LARGE, "the image is " + bytes.length
                    + " bytes, more than the " + maxBytes + " allowed");
        }
        return bytes;
    }

    private static boolean isBase64Space(int c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
