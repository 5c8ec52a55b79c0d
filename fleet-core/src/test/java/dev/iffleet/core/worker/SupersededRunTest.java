package dev.iffleet.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent.Type;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.worker.cdi.WorkerLiveness;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * A run that a later admission superseded (a redelivery, or the reaper's re-queue of a run presumed lost) stores and
 * hands on nothing; and the liveness watchdog sees a model call that runs too long.
 */
class SupersededRunTest extends RedisWorkerTest {

    @Test
    void aRunAdmittedAgainMeanwhileStoresNothingAndTheLatestRunCompletes() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScriptedWorker w = f.worker(Stage.STAGE1, 1, (ctx, call) -> {
            if (call == 1) {
                firstStarted.countDown();
                release.await(30, TimeUnit.SECONDS);
                return Map.of("image", new byte[] {1});
            }
            return Map.of("image", new byte[] {2});
        });
        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        CompletableFuture<List<Pending>> first = CompletableFuture.supplyAsync(
                () -> w.admitAndRun(List.of(new StageWorker.Delivery(msg, 9_000))));
        assertTrue(firstStarted.await(30, TimeUnit.SECONDS));

        Outcome second = w.complete(w.admitAndRun(List.of(new StageWorker.Delivery(msg, 9_000))).get(0));
        release.countDown();
        Outcome late = w.complete(first.get(30, TimeUnit.SECONDS).get(0));

        assertTrue(second instanceof Outcome.Next, "the latest admission hands on: " + second);
        assertTrue(late instanceof Outcome.Ended, "the superseded run hands on nothing: " + late);
        String image = f.jobs.keys().artifact(msg.jobId(), Stage.STAGE1, "image");
        assertEquals(2, redis.getBytes(image).orElseThrow()[0], "the superseded run's output is not stored");
        assertEquals(1, f.eventTypes().stream().filter(t -> t == Type.STAGE_COMPLETED).count(), "completed once");
        assertEquals("2", redis.getHash(f.jobs.keys().job(msg.jobId())).get("stage1.admissions"));
    }

    @Test
    void livenessGoesDownWhileAModelCallRunsPastItsBound() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScriptedWorker w = f.worker(Stage.STAGE1, 1, (ctx, call) -> {
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
            return Map.of("image", new byte[] {1});
        });
        List<StageWorker> workers = List.of(w);
        assertFalse(w.runningSince().isPresent(), "idle");
        assertEquals(HealthCheckResponse.Status.UP, WorkerLiveness.check(workers, 1000, f.clock.get()).getStatus());

        StageMessage msg = f.job(Stage.STAGE1, 256, 9_000);
        CompletableFuture<List<Pending>> run = CompletableFuture.supplyAsync(
                () -> w.admitAndRun(List.of(new StageWorker.Delivery(msg, 9_000))));
        assertTrue(started.await(30, TimeUnit.SECONDS));
        long since = w.runningSince().orElseThrow();
        assertEquals(f.clock.get(), since, "the run started on the worker's clock");
        assertEquals(HealthCheckResponse.Status.UP, WorkerLiveness.check(workers, 1000, since + 1000).getStatus());
        HealthCheckResponse hung = WorkerLiveness.check(workers, 1000, since + 1001);
        assertEquals(HealthCheckResponse.Status.DOWN, hung.getStatus());
        assertTrue(hung.getData().orElseThrow().get("reason").toString().contains("stage1 model call running for 1001 ms"));

        release.countDown();
        run.get(30, TimeUnit.SECONDS);
        assertFalse(w.runningSince().isPresent(), "the watchdog forgets a run that ended");
        assertEquals(HealthCheckResponse.Status.UP, WorkerLiveness.check(workers, 1000, since + 60_000).getStatus());
    }
}
