package dev.iffleet.core.worker.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.reaper.Deadlines;
import dev.iffleet.core.reaper.Reaper;
import dev.iffleet.core.reaper.StuckJob;
import dev.iffleet.core.store.StageStore;
import dev.iffleet.core.testing.TestJobs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reaper on a real Kafka and Redis: a job whose stage-I worker died (its admission written as a dead worker leaves
 * it: no heartbeat) is re-queued, run by a live replica and handed on once; a late completion of the dead run stores
 * nothing; a job stuck again after its re-queues fails with the reason.
 */
class StuckJobRequeueTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DEAD = "7/4242@gone";

    private EdgeFixture f;
    private StageProducer producer;
    private final List<JobEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fixture() {
        f = new EdgeFixture();
        producer = new StageProducer(f.kafka, f.topics, f.topics.fleet() + "-reaper");
    }

    @AfterEach
    void close() {
        producer.close();
        f.close();
    }

    private Reaper reaper(int maxRequeues) {
        return reaper(maxRequeues, Map.of());
    }

    private Reaper reaper(int maxRequeues, Map<Stage, Long> lag) {
        Deadlines d = Deadlines.defaults();
        return new Reaper(f.redis, f.jobs, new Deadlines(d.run(), d.workerLost(), d.lostMessage(), d.queue(),
                maxRequeues), () -> lag, producer::send, events::add, Duration.ofHours(1), 1000);
    }

    /** A job whose encode finished and whose stage I a worker that is gone admitted 60 s ago; its admission token. */
    private String admittedByDeadWorker(String id, long now) {
        JobParams params = TestJobs.smallJob("a ring", 1024);
        f.jobs.create(id, params, now - 120_000);
        String emb = f.jobs.keys().artifact(id, Stage.ENCODE, "prompt_emb");
        f.redis.putBytes(emb, new byte[] {7}, Duration.ofMinutes(5));
        f.redis.putString(f.jobs.keys().done(id, Stage.ENCODE), "{\"prompt_emb\":\"" + emb + "\"}", Duration.ofMinutes(5));
        return new StageStore(f.redis, f.jobs.keys(), Duration.ofMinutes(5)).admit(id, Stage.STAGE1, 5, DEAD,
                now - 60_000).token();
    }

    @Test
    void aDeadWorkersJobIsRequeuedAndSucceedsOnceWhileItsLateCompletionStoresNothing() {
        EchoWorker w = f.worker(0, true);
        f.replica(w, "0", 1).bringUp(true);
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        String deadToken = admittedByDeadWorker(id, now);

        Reaper.Sweep sweep = reaper(2).sweep(now);
        assertEquals(1, sweep.requeued());
        StuckJob found = sweep.stuck().get(0);
        assertEquals(StuckJob.Cause.WORKER_LOST, found.cause());
        assertTrue(found.detail().contains(DEAD), found.detail());

        assertEquals(List.of(id), f.handedOn(1, WAIT), "run by the live replica and handed on to sr");
        assertEquals(1, w.jobsRun());
        Map<String, String> h = f.redis.getHash(f.jobs.keys().job(id));
        assertEquals("1", h.get("stage1.requeues"));
        assertEquals("w1", h.get("stage1.worker"), "the live replica ran it");
        String doneBefore = f.redis.getString(f.jobs.keys().done(id, Stage.STAGE1)).orElseThrow();

        StageStore.Completion late = new StageStore(f.redis, f.jobs.keys(), Duration.ofMinutes(5)).complete(id,
                Stage.STAGE1, deadToken, Map.of(f.jobs.keys().artifact(id, Stage.STAGE1, "echo"), new byte[] {9}),
                "{}", Map.of(), 1, false, Duration.ofMinutes(5), now);
        assertEquals(StageStore.Completion.SUPERSEDED, late);
        assertEquals(doneBefore, f.redis.getString(f.jobs.keys().done(id, Stage.STAGE1)).orElseThrow());
        assertEquals(id, new String(f.redis.getBytes(f.jobs.keys().artifact(id, Stage.STAGE1, "echo")).orElseThrow()));
        assertEquals(List.of(), reaper(2).find(System.currentTimeMillis()), "nothing stuck any more");
    }

    @Test
    void aLostHandOffIsRequeuedOnceTheStageHasNoLag() {
        EchoWorker w = f.worker(0, true);
        f.replica(w, "0", 1).bringUp(true);
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        admittedByDeadWorker(id, now);
        // as if encode had just finished and its stage-I message never reached Kafka
        f.redis.text().hdel(f.jobs.keys().job(id), "stage1.started_at", "stage1.worker");
        f.redis.text().hset(f.jobs.keys().job(id), Map.of("stage", "encode", "encode.finished_at",
                Long.toString(now - 61_000)));

        assertEquals(List.of(), reaper(2, Map.of(Stage.STAGE1, 4L)).find(now), "a backlog ahead: it waits its turn");
        Reaper.Sweep sweep = reaper(2, Map.of(Stage.STAGE1, 0L)).sweep(now);

        assertEquals(StuckJob.Cause.MESSAGE_LOST, sweep.stuck().get(0).cause());
        assertEquals(List.of(id), f.handedOn(1, WAIT));
        assertEquals(List.of(id), w.batches.get(0));
    }

    @Test
    void aJobStuckAgainAfterItsRequeuesFailsWithTheReason() {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        admittedByDeadWorker(id, now);
        Reaper reaper = reaper(1);
        assertEquals(1, reaper.sweep(now).requeued());
        assertEquals("running", f.redis.getHash(f.jobs.keys().job(id)).get("state"), "waiting for stage I again");

        // a second worker took the re-queued message and died too
        new StageStore(f.redis, f.jobs.keys(), Duration.ofMinutes(5)).admit(id, Stage.STAGE1, 5, DEAD, now - 60_000);
        Reaper.Sweep second = reaper.sweep(now);

        assertEquals(1, second.failed());
        Map<String, String> h = f.redis.getHash(f.jobs.keys().job(id));
        assertEquals("failed", h.get("state"));
        assertEquals("stuck", h.get("error_code"));
        assertTrue(h.get("error").startsWith("stage1: stuck, worker_lost (worker 7/4242@gone is gone"), h.get("error"));
        assertTrue(h.get("error").endsWith("re-queued 1 time, giving up"), h.get("error"));
        assertEquals(List.of(JobEvent.Type.FAILED), events.stream().map(JobEvent::type).toList());
        assertEquals(h.get("error"), events.get(0).message());
        Awaitility.await().atMost(WAIT).until(() -> reaper.find(System.currentTimeMillis()).isEmpty());
    }
}
