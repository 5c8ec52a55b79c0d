package dev.iffleet.core.worker;

import dev.iffleet.core.job.JobEvent;

/** Where a worker reports progress and state changes; the messaging edge sends them to {@code if.events}. */
@FunctionalInterface
public interface EventSink {
    void publish(JobEvent event);
}
