package dev.iffleet.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The format of API keys ({@code iff_} and 32 random url-safe characters) and the hash they are stored under. */
public final class ApiKeys {

    public static final String PREFIX = "iff_";
    private static final Pattern FORMAT = Pattern.compile("iff_[A-Za-z0-9_-]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A new key: 24 random bytes, base64url without padding (32 characters, 192 bits). */
    public static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean wellFormed(String key) {
        return key != null && FORMAT.matcher(key).matches();
    }

    /** SHA-256 of the key, lower-case hex: the only form of a key that is stored. */
    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** What logs may show of a key: the first 8 characters of its hash. */
    public static String shortHash(String hash) {
        return hash.substring(0, Math.min(8, hash.length()));
    }
}
