package dev.iffleet.core.worker;

import java.time.Duration;

/**
 * How a stage retries a failing run: {@code maxAttempts} in all with exponential backoff.
 * {@link InvalidJobException} is never retried: the same input fails the same way.
 */
public record RetryPolicy(int maxAttempts, Duration backoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public boolean retryable(Throwable failure) {
        return !(failure instanceof InvalidJobException);
    }

    /** Pause before attempt {@code next} (2, 3, ...). */
    public Duration delayBefore(int next) {
        return backoff.multipliedBy(1L << Math.min(10, next - 2));
    }
}
