package dev.iffleet.core.worker.edge;

import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Writes this replica's status into the fleet's workers hash every few seconds, so that {@code ./fleet status} and the
 * gateway's ETAs see every replica of every stage from Redis alone; the field is removed when the replica stops.
 */
public final class Heartbeat implements AutoCloseable {

    /** How often the status is written; readers treat one older than {@link #STALE} as gone. */
    public static final Duration EVERY = Duration.ofSeconds(2);
    public static final Duration STALE = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(Heartbeat.class);

    private final RedisStore redis;
    private final Keys keys;
    private final String field;
    private final Supplier<WorkerStatus> status;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeat");
        t.setDaemon(true);
        return t;
    });

    public Heartbeat(RedisStore redis, Keys keys, String stage, String replica, Supplier<WorkerStatus> status) {
        this.redis = redis;
        this.keys = keys;
        this.field = stage + ":" + replica;
        this.status = status;
    }

    public void start() {
        timer.scheduleAtFixedRate(this::beat, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes the status now (also on every state change worth showing at once, e.g. draining). */
    public void beat() {
        try {
            redis.text().hset(keys.workers(), field, Json.write(status.get()));
        } catch (RuntimeException e) {
            LOG.debugf("heartbeat not written: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            redis.text().hdel(keys.workers(), field);
        } catch (RuntimeException e) {
            LOG.debugf("heartbeat not removed: %s", e.getMessage());
        }
    }
}
