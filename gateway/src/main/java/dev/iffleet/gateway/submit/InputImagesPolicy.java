package dev.iffleet.gateway.submit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a request's images arrive and are accepted: inline base64 / {@code data:} URLs or multipart parts, decoded
 * within the operator's limits by an {@link ImageDecoder}; plus the operator's batch and watermark rules.
 */
public record InputImagesPolicy(ImageDecoder decoder, int maxImages, boolean allowWatermarkOff) {

    /** The names an image may be sent under. */
    static final List<String> FIELDS = List.of("image", "mask");

    /** Images refused (no decoder configured): for validators built without the gateway's config. */
    public static final InputImagesPolicy DEFAULT = new InputImagesPolicy((field, bytes) -> {
        throw new InvalidRequestException(field, "this gateway accepts no images");
    }, 4, false);

    /** The raw bytes of each image sent, from the JSON body or the multipart parts (not both). */
    Map<String, byte[]> rawImages(JobRequest r, Map<String, byte[]> uploads) {
        for (String name : uploads.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new InvalidRequestException(name, "unknown upload '" + name + "'; send image and/or mask");
            }
        }
        Map<String, byte[]> raw = new LinkedHashMap<>();
        put(raw, "image", r.image(), uploads.get("image"));
        put(raw, "mask", r.mask(), uploads.get("mask"));
        return raw;
    }

    Map<String, ImageDecoder.Decoded> decode(Map<String, byte[]> raw) {
        Map<String, ImageDecoder.Decoded> out = new LinkedHashMap<>();
        raw.forEach((name, bytes) -> out.put(name, decoder.decode(name, bytes)));
        return out;
    }

    /** Content digest of the images, so an idempotent replay matches on what was sent, not how it was encoded. */
    static String digest(Map<String, byte[]> raw) {
        StringBuilder sb = new StringBuilder();
        raw.forEach((name, bytes) -> sb.append('|').append(name).append('=').append(sha256(bytes)));
        return sb.toString();
    }

    private static void put(Map<String, byte[]> raw, String name, String inline, byte[] uploaded) {
        if (inline != null && uploaded != null) {
            throw new InvalidRequestException(name, name + " came both inline and as a multipart part");
        }
        if (uploaded != null) {
            raw.put(name, uploaded);
        } else if (inline != null) {
            raw.put(name, base64(name, inline));
        }
    }

    /** Plain base64 or a {@code data:image/...;base64,} URL. */
    static byte[] base64(String field, String value) {
        String b64 = value.strip();
        if (b64.startsWith("data:")) {
            int comma = b64.indexOf(',');
            if (comma < 0 || !b64.substring(0, comma).endsWith(";base64")) {
                throw new InvalidRequestException(field, field + " must be base64 or a data:image/...;base64, URL");
            }
            b64 = b64.substring(comma + 1);
        }
        try {
            return Base64.getMimeDecoder().decode(b64.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, field + " is not valid base64: " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
