package dev.iffleet.core.worker.cdi;

import dev.iffleet.core.config.FleetConfig;
import dev.iffleet.core.model.ModelBackend;
import dev.iffleet.core.model.ModelPack;
import dev.iffleet.core.model.ModelRuntime;
import dev.iffleet.core.model.RuntimeSettings;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.worker.CancelSignals;
import dev.iffleet.core.worker.RetryPolicy;
import dev.iffleet.core.worker.WorkerIds;
import dev.iffleet.core.worker.StageWorker.Collaborators;
import dev.iffleet.core.worker.edge.StageProducer;
import dev.iffleet.core.observe.EdgeTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.eclipse.microprofile.config.Config;

/** CDI producers of what a stage worker needs: the model pack and runtime, its Kafka producer and collaborators. */
public class WorkerBeans {

    @Produces
    @Singleton
    ModelPack modelPack(FleetConfig config) {
        return ModelPack.load(Path.of(config.pack().dir()));
    }

    @Produces
    @Singleton
    ModelRuntime modelRuntime(ModelPack pack, FleetConfig config) {
        FleetConfig.Model m = config.model();
        return ModelRuntime.open(pack, new RuntimeSettings(m.device(), m.dtype(), m.threads()),
                ModelBackend.named(m.backend(), m.profile()));
    }

    void closeRuntime(@Disposes ModelRuntime runtime) {
        runtime.close();
    }

    @Produces
    @Singleton
    Topics topics(FleetConfig config) {
        return new Topics(config.name());
    }

    @Produces
    @Singleton
    StageProducer producer(Config mp, Topics topics, FleetConfig config) {
        return new StageProducer(KafkaClientConfig.from(mp), topics, topics.fleet() + "-worker-" + config.worker().replica()
                + "-" + ManagementFactory.getRuntimeMXBean().getPid());
    }

    void closeProducer(@Disposes StageProducer producer) {
        producer.close();
    }

    @Produces
    @Singleton
    CancelSignals cancelSignals(RedisStore redis, JobStore jobs) {
        return CancelSignals.subscribe(redis, jobs.keys());
    }

    void closeSignals(@Disposes CancelSignals signals) {
        signals.close();
    }

    @Produces
    @Singleton
    ReplicaMetrics metrics(MeterRegistry registry) {
        return new ReplicaMetrics(registry);
    }

    @Produces
    @Singleton
    EdgeTracing tracing(OpenTelemetry otel) {
        return new EdgeTracing(otel);
    }

    @Produces
    @Singleton
    Collaborators collaborators(RedisStore redis, JobStore jobs, StageProducer events, CancelSignals cancels,
            FleetConfig config, ReplicaMetrics metrics) {
        return new Collaborators(
                redis,
                jobs,
                events,
                new RetryPolicy(config.retry().maxAttempts(), config.retry().backoff()),
                config.progress().interval(),
                // <replica>/<pid>@<host> names the process in job timings, so a slow replica can be found, and lets
                // the gateway's reaper find the replica's heartbeat (<stage>:<replica>) to tell a dead worker's job
                WorkerIds.of(config.worker().replica(), ManagementFactory.getRuntimeMXBean().getName()),
                System::currentTimeMillis,
                cancels,
                config.model().backend(),
                metrics);
    }
}
