package dev.iffleet.core.worker;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A job store under a fresh key prefix, a recording event sink and a hand-driven clock for one test. */
final class WorkerFixture {

    static final Duration TTL = Duration.ofMinutes(5);
    static final String WORKER_ID = "test-worker@1";

    final RedisStore redis;
    final JobStore jobs;
    final List<JobEvent> events = new CopyOnWriteArrayList<>();
    final AtomicLong clock = new AtomicLong(10_000);
    final CancelSignals cancels;

    WorkerFixture(RedisStore redis) {
        this.redis = redis;
        this.jobs = new JobStore(redis, new Keys("test-" + UUID.randomUUID() + ":"), TTL);
        this.cancels = CancelSignals.subscribe(redis, jobs.keys());
    }

    StageWorker.Collaborators collaborators(int maxAttempts, Duration progressInterval) {
        return new StageWorker.Collaborators(redis, jobs, events::add, new RetryPolicy(maxAttempts, Duration.ZERO),
                progressInterval, WORKER_ID, clock::get, cancels, "torchscript");
    }

    ScriptedWorker worker(Stage stage, int maxAttempts, ScriptedWorker.Script script) {
        return new ScriptedWorker(stage, collaborators(maxAttempts, Duration.ofMillis(250)), script);
    }

    /** Creates a job and returns the message asking {@code stage} to work on it, with stored inputs. */
    StageMessage job(Stage stage, int outputSize, long enqueuedAt) {
        String jobId = UUID.randomUUID().toString();
        JobParams params = new JobParams("a red circle", "", 42, outputSize, null, null, null);
        jobs.create(jobId, params, 1_000);
        String input = jobs.keys().artifact(jobId, Stage.ENCODE, "prompt_emb");
        redis.putBytes(input, new byte[] {7, 7}, TTL);
        Map<String, String> artifacts = stage == Stage.ENCODE ? Map.of() : Map.of("encode.prompt_emb", input);
        return new StageMessage(jobId, stage, 1, artifacts, params, enqueuedAt);
    }

    List<JobEvent.Type> eventTypes() {
        return events.stream().map(JobEvent::type).toList();
    }
}
