package dev.iffleet.launcher;

import java.time.Duration;
import java.util.List;

/**
 * How {@link WorkerSupervisor} restarts a replica that died: after a backoff that doubles with each restart of the last
 * minute (1 s, 2 s, 4 s ... at most 30 s), and not at all while it already restarted {@code maxPerMinute} times in it.
 */
record RestartPolicy(int maxPerMinute, Duration base, Duration cap) {

    static final Duration WINDOW = Duration.ofMinutes(1);

    static RestartPolicy defaults() {
        return new RestartPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** Restarts of the last minute, from the times (epoch ms) of every restart so far. */
    static long recent(List<Long> restarts, long now) {
        return restarts.stream().filter(t -> now - t < WINDOW.toMillis()).count();
    }

    /** Whether the replica may not be restarted now: it restarted as often as allowed within the last minute. */
    boolean exhausted(List<Long> restarts, long now) {
        return recent(restarts, now) >= maxPerMinute;
    }

    /** How long to wait before restarting a replica that died now. */
    Duration backoff(List<Long> restarts, long now) {
        long n = Math.min(recent(restarts, now), 20);
        return Duration.ofMillis(Math.min(cap.toMillis(), base.toMillis() << n));
    }
}
