package dev.iffleet.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.model.ModelPack;
import dev.iffleet.core.model.ModelRuntime;
import dev.iffleet.core.model.RuntimeSettings;
import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.core.store.TensorCodec;
import dev.iffleet.core.testing.TestJobs;
import dev.iffleet.core.worker.CancelSignals;
import dev.iffleet.core.worker.Outcome;
import dev.iffleet.core.worker.Pending;
import dev.iffleet.core.worker.RetryPolicy;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.core.worker.StageWorker.Delivery;
import dev.iffleet.devstack.DevStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cross-job batching of stage I on the tiny pack (CPU, float32), against a real Redis: a job's image does not depend
 * on its batch-mates, and a job canceled mid-batch is dropped while the others finish as they would alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Stage1BatchTest {

    /**
     * oneDNN's float32 convolutions pick kernels by batch size, so a batch rounds differently from a job alone: over
     * 5 steps of the tiny pack the images (in [-1, 1]) differed by at most 2.9e-5 (measured); different jobs differ
     * by ~1.
     */
    static final float TOLERANCE = 1e-4f;
    private static final byte[] NEGATIVE = TestJobs.randomTensor(DataType.FLOAT16, 1, 77, 64);

    private RedisStore redis;
    private JobStore jobs;
    private ModelRuntime runtime;
    private ModelPack pack;
    private final CancelSignals cancels = CancelSignals.none();
    private final List<JobEvent> events = new CopyOnWriteArrayList<>();
    private volatile Consumer<JobEvent> onEvent = e -> {};

    @BeforeAll
    void start() {
        redis = new RedisStore(DevStack.shared().redisUri());
        jobs = new JobStore(redis, new Keys("batch-" + UUID.randomUUID() + ":"), Duration.ofMinutes(5));
        pack = ModelPack.load(Path.of("../models/tiny"));
        runtime = ModelRuntime.open(pack, RuntimeSettings.cpu());
    }

    @AfterAll
    void stop() {
        runtime.close();
        redis.close();
    }

    private Stage1Worker worker() {
        return new Stage1Worker(new StageWorker.Collaborators(redis, jobs, e -> {
            events.add(e);
            onEvent.accept(e);
        }, new RetryPolicy(1, Duration.ZERO), Duration.ZERO, "test", System::currentTimeMillis, cancels,
                "torchscript"), runtime, pack);
    }

    private StageMessage job(String prompt, long seed, int images, byte[] emb) {
        String id = UUID.randomUUID().toString();
        JobParams p = new JobParams(prompt, "", seed, 1024, new StageOverrides(5, 7.0, null, null, null, null),
                null, null, null, null, images, null, null, null, null, null);
        jobs.create(id, p, System.currentTimeMillis());
        String pe = jobs.keys().artifact(id, Stage.ENCODE, "prompt_emb");
        String ne = jobs.keys().artifact(id, Stage.ENCODE, "negative_emb");
        redis.putBytes(pe, emb, jobs.ttl());
        redis.putBytes(ne, NEGATIVE, jobs.ttl());
        return new StageMessage(id, Stage.STAGE1, 1, Map.of("encode.prompt_emb", pe, "encode.negative_emb", ne), p,
                System.currentTimeMillis());
    }

    /** Runs the messages as one batch and returns each job's stored image tensor (null where none was stored). */
    private List<float[]> run(Stage1Worker w, List<StageMessage> batch) {
        List<Delivery> d = new ArrayList<>();
        batch.forEach(m -> d.add(new Delivery(m, m.enqueuedAt())));
        List<Pending> pending = w.admitAndRun(d);
        List<float[]> images = new ArrayList<>();
        for (Pending p : pending) {
            Outcome o = w.complete(p);
            String key = jobs.keys().artifact(p.message().jobId(), Stage.STAGE1, "image");
            images.add(o instanceof Outcome.Next ? tensor(redis.getBytes(key).orElseThrow()) : null);
        }
        return images;
    }

    private static float[] tensor(byte[] bytes) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = TensorCodec.decode(m, bytes);
            return a.toFloatArray();
        }
    }

    @Test
    void aJobsImageDoesNotDependOnItsBatch() {
        Stage1Worker w = worker();
        byte[] e1 = TestJobs.randomTensor(DataType.FLOAT16, 1, 77, 64);
        byte[] e2 = TestJobs.randomTensor(DataType.FLOAT16, 1, 77, 64);
        float[] aloneA = run(w, List.of(job("a", 7, 2, e1))).get(0);
        float[] aloneB = run(w, List.of(job("b", 9, 1, e2))).get(0);

        List<float[]> batched = run(w, List.of(job("a", 7, 2, e1), job("b", 9, 1, e2)));

        assertClose(aloneA, batched.get(0));
        assertClose(aloneB, batched.get(1));
        assertFalse(java.util.Arrays.equals(aloneA, padTo(aloneB, aloneA.length)), "different jobs, different images");
    }

    @Test
    void aJobCanceledMidBatchIsDroppedAndTheOthersFinishAsAlone() {
        Stage1Worker w = worker();
        byte[] e1 = TestJobs.randomTensor(DataType.FLOAT16, 1, 77, 64);
        byte[] e2 = TestJobs.randomTensor(DataType.FLOAT16, 1, 77, 64);
        float[] aloneA = run(w, List.of(job("a", 3, 1, e1))).get(0);
        StageMessage a = job("a", 3, 1, e1);
        StageMessage b = job("b", 4, 1, e2);
        onEvent = e -> {
            if (e.jobId().equals(b.jobId()) && e.type() == JobEvent.Type.PROGRESS && e.step() == 2) {
                jobs.cancel(b.jobId(), System.currentTimeMillis());
                cancels.cancel(b.jobId());
            }
        };
        events.clear();
        List<float[]> batched = run(w, List.of(a, b));
        onEvent = e -> {};

        assertClose(aloneA, batched.get(0));
        assertEquals(null, batched.get(1), "the canceled job stores no image");
        long bSteps = events.stream().filter(e -> e.jobId().equals(b.jobId()) && e.type() == JobEvent.Type.PROGRESS)
                .count();
        long aSteps = events.stream().filter(e -> e.jobId().equals(a.jobId()) && e.type() == JobEvent.Type.PROGRESS)
                .count();
        assertEquals(2, bSteps, "no progress for the canceled job after the step it was canceled at");
        assertEquals(5, aSteps, "the other job ran every step");
        assertTrue(events.stream().anyMatch(e -> e.jobId().equals(b.jobId()) && e.type() == JobEvent.Type.CANCELED));
    }

    private static float[] padTo(float[] a, int n) {
        return java.util.Arrays.copyOf(a, n);
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        float max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(max <= TOLERANCE, "max abs difference " + max + " > " + TOLERANCE);
    }
}
