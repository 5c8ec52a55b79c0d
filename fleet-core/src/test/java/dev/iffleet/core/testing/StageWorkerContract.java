package dev.iffleet.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.JobState;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.job.StageTiming;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.devstack.KafkaProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every stage worker must do against a real Kafka and Redis: consume its topic, store its outputs,
 * publish the next message (or finish the job), not recompute on redelivery, and dead-letter what it
 * cannot process while it keeps consuming. Each worker module runs it with its own inputs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StageWorkerContract {

    protected static final Duration WAIT = Duration.ofSeconds(90);

    protected RedisStore redis;
    protected JobStore jobs;
    protected KafkaProbe kafka;

    /** The stage under test. */
    protected abstract Stage stage();

    /** Stores the inputs the stage needs for {@code jobId} and returns the message that asks for it. */
    protected abstract StageMessage prepare(String jobId, JobParams params);

    /** Checks the stored outputs of a finished stage. */
    protected abstract void checkOutputs(String jobId, Map<String, String> outputKeys);

    /** Parameters of a small, fast job that does not end at this stage (unless it is the last). */
    protected JobParams params(String prompt) {
        return TestJobs.smallJob(prompt, 1024);
    }

    @BeforeAll
    void connect() {
        DevStack stack = DevStack.shared();
        redis = new RedisStore(stack.redisUri());
        jobs = new JobStore(redis, new Keys(""), Duration.ofMinutes(10));
        kafka = new KafkaProbe(stack.bootstrapServers());
    }

    @AfterAll
    void disconnect() {
        kafka.close();
        redis.close();
    }

    @Test
    void consumesStoresOutputsAndHandsOn() {
        String jobId = newJob("a red circle above a blue square");
        StageMessage msg = prepare(jobId, jobs.find(jobId).orElseThrow().params());
        long sentAfter = System.currentTimeMillis();
        send(msg);

        JobRecord done = awaitStageFinished(jobId);
        long seenBy = System.currentTimeMillis();
        StageTiming t = done.timings().get(stage());
        // the record was stamped after sentAfter and admitted at startedAt: the wait lies between; the model ran
        // between admission and completion (run time excludes Redis reads, ms rounding allows 1 ms)
        assertTrue(t.startedAt() >= sentAfter && t.finishedAt() >= t.startedAt() && t.finishedAt() <= seenBy, t.toString());
        assertTrue(t.queuedMs() <= t.startedAt() - sentAfter, "queue wait within send..admission: " + t);
        assertTrue(t.runMs() <= t.finishedAt() - t.startedAt() + 1, "run time within admission..completion: " + t);
        Map<String, String> outputs = outputsOf(jobId);
        checkOutputs(jobId, outputs);
        if (stage().next().isPresent() && stage() != msg.params().lastStage()) {
            StageMessage next = awaitNext(jobId, 1).get(0);
            assertEquals(stage().next().get(), next.stage());
            outputs.forEach((name, key) -> assertEquals(key, next.artifact(stage(), name)));
        } else {
            assertEquals(JobState.SUCCEEDED, jobs.find(jobId).orElseThrow().state());
        }
    }

    @Test
    void redeliveryDoesNotRecompute() {
        String jobId = newJob("redelivered");
        StageMessage msg = prepare(jobId, jobs.find(jobId).orElseThrow().params());
        send(msg);
        Long firstStart = awaitStageFinished(jobId).timings().get(stage()).startedAt();
        send(msg);
        if (stage() != msg.params().lastStage()) {
            assertEquals(2, awaitNext(jobId, 2).size(), "the next message is published again");
        }
        List<ConsumerRecord<String, String>> started = kafka.await(Topics.DEFAULT.events(),
                r -> jobId.equals(r.key()) && r.value().contains("\"stage.started\""), 2, Duration.ofSeconds(3));
        assertEquals(1, started.size(), "the stage ran once");
        assertEquals(firstStart, jobs.find(jobId).orElseThrow().timings().get(stage()).startedAt());
    }

    @Test
    void poisonMessageIsDeadLetteredAndConsumingGoesOn() {
        String poison = "{not json " + UUID.randomUUID();
        kafka.send(Topics.DEFAULT.input(stage()), "poison", poison);
        assertEquals(1, kafka.await(Topics.DEFAULT.deadLetter(stage()), r -> poison.equals(r.value()), 1, WAIT).size());

        String jobId = newJob("after the poison");
        send(prepare(jobId, jobs.find(jobId).orElseThrow().params()));
        awaitStageFinished(jobId);
    }

    @Test
    void unusableInputFailsTheJobWithTheReasonAndDeadLetters() {
        String jobId = newJob("inputs gone");
        StageMessage msg = spoil(prepare(jobId, jobs.find(jobId).orElseThrow().params()));
        send(msg);
        assertEquals(1, kafka.await(Topics.DEFAULT.deadLetter(stage()), r -> r.value().contains(jobId), 1, WAIT).size());
        JobRecord failed = jobs.find(jobId).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.error().startsWith(stage().id() + ": "), failed.error());
    }

    /** Makes a prepared message unprocessable; by default its input artifacts vanish (expired). */
    protected StageMessage spoil(StageMessage msg) {
        msg.artifacts().values().forEach(redis::unlink);
        return msg;
    }

    protected String newJob(String prompt) {
        String jobId = UUID.randomUUID().toString();
        jobs.create(jobId, params(prompt), System.currentTimeMillis());
        return jobId;
    }

    protected void send(StageMessage msg) {
        kafka.send(Topics.DEFAULT.input(stage()), msg.jobId(), Json.write(msg));
    }

    protected JobRecord awaitStageFinished(String jobId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JobRecord r = jobs.find(jobId).orElseThrow();
            if (r.timings().containsKey(stage()) && r.timings().get(stage()).finishedAt() != null) {
                return r;
            }
            if (r.state() == JobState.FAILED) {
                throw new AssertionError("job failed: " + r.error());
            }
            sleep(100);
        }
        throw new AssertionError("stage " + stage().id() + " did not finish job " + jobId + " within " + WAIT);
    }

    protected List<StageMessage> awaitNext(String jobId, int count) {
        String topic = Topics.DEFAULT.input(stage().next().orElseThrow());
        return kafka.await(topic, r -> jobId.equals(r.key()), count, WAIT).stream()
                .map(r -> Json.read(r.value(), StageMessage.class))
                .toList();
    }

    @SuppressWarnings("unchecked")
    protected Map<String, String> outputsOf(String jobId) {
        return Json.read(redis.getString(jobs.keys().done(jobId, stage())).orElseThrow(), Map.class);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
