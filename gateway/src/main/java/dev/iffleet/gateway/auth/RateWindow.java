package dev.iffleet.gateway.auth;

/** Fixed one-minute windows (aligned on the epoch minute) of the per-key submission rate limit. */
public final class RateWindow {

    public static final long LENGTH_MS = 60_000;

    private RateWindow() {
    }

    /** The window a moment falls in: minutes since the epoch. */
    public static long of(long nowMs) {
        return Math.floorDiv(nowMs, LENGTH_MS);
    }

    /** Whole seconds until the next window opens, at least 1 ({@code Retry-After}). */
    public static long retryAfterSeconds(long nowMs) {
        long left = (of(nowMs) + 1) * LENGTH_MS - nowMs;
        return Math.max(1, (left + 999) / 1000);
    }

    /** How long a window's counter is kept: past its end, with a margin for clock skew between replicas. */
    public static long counterTtlMs() {
        return 2 * LENGTH_MS;
    }
}
