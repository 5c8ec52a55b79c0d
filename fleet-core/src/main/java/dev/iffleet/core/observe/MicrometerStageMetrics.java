package dev.iffleet.core.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * {@link StageMetrics} in a Micrometer registry, every meter tagged with {@code stage} and {@code replica}; names are
 * listed in the README's "Metrics" section. Timers publish histogram buckets, so Prometheus can take quantiles over
 * all replicas of a stage.
 */
public final class MicrometerStageMetrics implements StageMetrics {

    public static final String PREFIX = "iffleet_stage_";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer queueWait;
    private final Timer batch;
    private final Timer job;
    private final Timer step;
    private final DistributionSummary batchSize;

    public MicrometerStageMetrics(MeterRegistry registry, String stage, String replica) {
        this.registry = registry;
        this.tags = Tags.of("stage", stage, "replica", replica);
        this.queueWait = timer("queue_wait", "Time a record waited in Kafka before a replica took it");
        this.batch = timer("batch_model", "Wall time of one model run (a batch), admission included");
        this.job = timer("job_model", "Model time per job: a run's time shared among its jobs");
        this.step = timer("step_model", "Model time per sampler step of a run (stages with steps)");
        this.batchSize = DistributionSummary.builder(PREFIX + "batch_size").description("Jobs per model run")
                .tags(tags).serviceLevelObjectives(1, 2, 4, 8, 16, 32).register(registry);
    }

    private Timer timer(String name, String description) {
        return Timer.builder(PREFIX + name).description(description).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    @Override
    public void queueWait(long millis) {
        queueWait.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void modelRun(int jobs, long nanos, int steps) {
        batch.record(nanos, TimeUnit.NANOSECONDS);
        batchSize.record(jobs);
        long perJob = nanos / Math.max(1, jobs);
        for (int i = 0; i < jobs; i++) {
            job.record(perJob, TimeUnit.NANOSECONDS);
        }
        if (steps > 0) {
            step.record(nanos / steps, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void failure(String code) {
        Counter.builder(PREFIX + "failures").description("Jobs this stage gave up on, by code").tags(tags)
                .tag("code", code).register(registry).increment();
    }

    @Override
    public void redis(String script, long nanos) {
        Timer.builder(PREFIX + "redis").description("Redis script calls of the worker template").tags(tags)
                .tag("script", script).publishPercentileHistogram().register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void kafkaPublish(String kind, long nanos) {
        Timer.builder(PREFIX + "kafka_publish").description("Kafka publishes acknowledged (acks=all)").tags(tags)
                .tag("topic_kind", kind).publishPercentileHistogram().register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void inFlight(IntSupplier jobs) {
        Gauge.builder(PREFIX + "jobs_in_flight", jobs, s -> s.getAsInt()).description("Jobs taken, not yet completed")
                .tags(tags).strongReference(true).register(registry);
    }
}
