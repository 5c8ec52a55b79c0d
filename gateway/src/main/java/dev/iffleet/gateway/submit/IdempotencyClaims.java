package dev.iffleet.gateway.submit;

import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import io.lettuce.core.SetArgs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Claims an idempotency key (an {@code Idempotency-Key} header or a {@code PUT} client id) atomically with
 * {@code SET NX PX}, so parallel identical requests create exactly one job. A claim lives as long as its job.
 */
@ApplicationScoped
public class IdempotencyClaims {

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    /** Who holds a key: the job it names and the fingerprint of the request that created it. */
    public record Claim(String jobId, String fingerprint, boolean won) {}

    /** Claims {@code key} for {@code candidateId}, or returns the existing claim. */
    public Claim claim(String key, String candidateId, String fingerprint, Duration ttl) {
        String redisKey = jobs.keys().idempotency(sha256(key));
        String value = candidateId + " " + fingerprint;
        for (int tries = 0; tries < 3; tries++) {
            String ok = redis.text().set(redisKey, value, SetArgs.Builder.nx().px(ttl.toMillis()));
            if ("OK".equals(ok)) {
                return new Claim(candidateId, fingerprint, true);
            }
            String held = redis.text().get(redisKey);
            if (held != null) {
                int space = held.indexOf(' ');
                return new Claim(held.substring(0, space), held.substring(space + 1), false);
            }
            // released between our SET and GET (its submit failed): try again
        }
        throw new SubmitFailedException("idempotency key " + key + " is contended; try again", null);
    }

    /** Frees a claim whose job could not be created, so a retry of the request can create it. */
    public void release(String key) {
        redis.unlink(jobs.keys().idempotency(sha256(key)));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
