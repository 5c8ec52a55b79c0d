package dev.iffleet.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Standard Webhooks signing: {@code v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))}, key from {@code whsec_…}. */
public final class WebhookSecrets {

    static final String PREFIX = "whsec_";
    /** Random bytes of a generated secret (Standard Webhooks asks for 24 to 64). */
    static final int GENERATED_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {}

    /** A new signing secret: {@code whsec_} and the standard base64 of {@value #GENERATED_BYTES} random bytes. */
    public static String generate() {
        byte[] key = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The key bytes of a secret: the base64 after {@code whsec_} (the prefix is optional). */
    static byte[] key(String secret) {
        String s = secret.trim();
        if (s.startsWith(PREFIX)) {
            s = s.substring(PREFIX.length());
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret must be whsec_ followed by base64");
        }
    }

    /** One signature, {@code v1,<base64>}. */
    static String sign(byte[] key, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
