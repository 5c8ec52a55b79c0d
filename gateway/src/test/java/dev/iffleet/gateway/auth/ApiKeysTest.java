package dev.iffleet.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Key format, hashing, the rate windows' maths and which requests are submissions. */
class ApiKeysTest {

    @Test
    void generatedKeysAreWellFormedAndDistinct() {
        String a = ApiKeys.generate();
        String b = ApiKeys.generate();
        assertTrue(a.matches("iff_[A-Za-z0-9_-]{32}"), a);
        assertTrue(ApiKeys.wellFormed(a));
        assertNotEquals(a, b);
    }

    @Test
    void malformedKeysAreRecognised() {
        assertFalse(ApiKeys.wellFormed(null));
        assertFalse(ApiKeys.wellFormed("iff_short"));
        assertFalse(ApiKeys.wellFormed("xyz_" + "a".repeat(32)));
        assertFalse(ApiKeys.wellFormed("iff_" + "a".repeat(31) + "+"));
    }

    @Test
    void hashIsSha256Hex() {
        // SHA-256("abc"), FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.hash("abc"));
        assertEquals("ba7816bf", ApiKeys.shortHash(ApiKeys.hash("abc")));
    }

    @Test
    void aStoredKeyShowsNoSecretWhenPrinted() {
        String hash = ApiKeys.hash("iff_" + "k".repeat(32));
        ApiKey key = new ApiKey(hash, "ci", 0, java.util.OptionalInt.of(3), java.util.OptionalInt.empty());
        assertEquals("'ci' (" + hash.substring(0, 8) + ")", key.toString());
    }

    @Test
    void windowsAreEpochMinutes() {
        assertEquals(0, RateWindow.of(0));
        assertEquals(0, RateWindow.of(59_999));
        assertEquals(1, RateWindow.of(60_000));
        assertEquals(28_000_000, RateWindow.of(28_000_000L * 60_000 + 12_345));
    }

    @Test
    void retryAfterIsTheWholeSecondsToTheNextWindow() {
        assertEquals(60, RateWindow.retryAfterSeconds(0));
        assertEquals(60, RateWindow.retryAfterSeconds(1));
        assertEquals(59, RateWindow.retryAfterSeconds(1_000));
        assertEquals(1, RateWindow.retryAfterSeconds(59_000));
        assertEquals(1, RateWindow.retryAfterSeconds(59_999));
        assertEquals(60, RateWindow.retryAfterSeconds(60_000));
    }

    @Test
    void onlyPostAndPutOfJobsAreSubmissions() {
        assertTrue(AuthFilter.isSubmission("POST", "/v1/jobs"));
        assertTrue(AuthFilter.isSubmission("POST", "/v1/jobs/"));
        assertTrue(AuthFilter.isSubmission("PUT", "/v1/jobs/my-id"));
        assertFalse(AuthFilter.isSubmission("POST", "/v1/jobs/abc/cancel"));
        assertFalse(AuthFilter.isSubmission("GET", "/v1/jobs"));
        assertFalse(AuthFilter.isSubmission("PUT", "/v1/jobs/a/b"));
    }
}
