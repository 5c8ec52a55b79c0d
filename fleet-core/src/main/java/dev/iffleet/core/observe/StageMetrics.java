package dev.iffleet.core.observe;

import java.util.function.IntSupplier;

/**
 * What one replica of a stage reports for Prometheus, as a small facade: the edge and the worker template call it,
 * {@link MicrometerStageMetrics} records it, and tests of the edge that need no registry pass {@link #NONE}.
 */
public interface StageMetrics {

    /** How long a record waited in Kafka before this replica took it (from the record's timestamp). */
    void queueWait(long millis);

    /**
     * One model run of {@code jobs} jobs that took {@code nanos} (admission included, as the job record's run time);
     * {@code steps} is the run's sampler steps, 0 for a stage without steps (the encoder).
     */
    void modelRun(int jobs, long nanos, int steps);

    /** A job this stage gave up on, dead-lettered or not completed, by a short code ({@link FailureCode}). */
    void failure(String code);

    /** One Redis script call of the worker template: {@code admit} or {@code complete}. */
    void redis(String script, long nanos);

    /** One publish to Kafka that waited for its acknowledgement: next stage or dead letter. */
    void kafkaPublish(String kind, long nanos);

    /** Reports jobs taken and not yet completed, read at each scrape. */
    void inFlight(IntSupplier jobs);

    StageMetrics NONE = new StageMetrics() {
        @Override
        public void queueWait(long millis) {}

        @Override
        public void modelRun(int jobs, long nanos, int steps) {}

        @Override
        public void failure(String code) {}

        @Override
        public void redis(String script, long nanos) {}

        @Override
        public void kafkaPublish(String kind, long nanos) {}

        @Override
        public void inFlight(IntSupplier jobs) {}
    };
}
