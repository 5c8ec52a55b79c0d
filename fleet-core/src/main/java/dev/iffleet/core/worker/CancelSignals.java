package dev.iffleet.core.worker;

import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The job ids canceled while this worker runs, learned from the cancel channel that {@code JobStore.cancel} publishes
 * on, so a running stage notices a cancel at its next step without a Redis round trip per step. A cancel missed
 * while the subscription reconnects is still caught at completion, which refuses to store outputs of a canceled job.
 */
public final class CancelSignals implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CancelSignals.class);
    private static final int KEPT = 10_000;

    private final Set<String> canceled = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > KEPT;
                }
            }));
    private volatile AutoCloseable subscription;

    private CancelSignals() {}

    /** Signals that never fire: for workers driven directly (tests, benches). */
    public static CancelSignals none() {
        return new CancelSignals();
    }

    /** Subscribes to the fleet's cancel channel. */
    public static CancelSignals subscribe(RedisStore redis, Keys keys) {
        CancelSignals signals = new CancelSignals();
        signals.subscription = redis.subscribe(keys.cancelChannel(), signals::cancel);
        return signals;
    }

    /** Records that a job was canceled (the channel's handler; tests call it directly). */
    public void cancel(String jobId) {
        canceled.add(jobId);
    }

    public boolean canceled(String jobId) {
        return canceled.contains(jobId);
    }

    @Override
    public void close() {
        try {
            if (subscription != null) {
                subscription.close();
            }
        } catch (Exception e) {
            LOG.debugf("closing the cancel subscription: %s", e.getMessage());
        }
    }
}
