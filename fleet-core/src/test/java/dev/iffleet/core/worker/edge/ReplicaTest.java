package dev.iffleet.core.worker.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.devstack.DevStack;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replicas of one stage on a real Kafka and Redis: sharing a backlog, batching, draining, joining late, fleets apart. */
class ReplicaTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private EdgeFixture f;

    @BeforeEach
    void fixture() {
        f = new EdgeFixture();
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void twoReplicasBothTakeJobsFromOneBacklog() {
        EchoWorker a = f.worker(40, true);
        EchoWorker b = f.worker(40, true);
        f.replica(a, "0", 1).bringUp(true);
        f.replica(b, "1", 1).bringUp(true);
        awaitAssigned(2);
        List<String> ids = f.enqueue(40);

        List<String> out = f.handedOn(40, WAIT);
        assertEquals(new HashSet<>(ids), EdgeFixture.distinct(out));
        assertEquals(40, out.size(), "each job handed on once");
        assertEquals(40, a.jobsRun() + b.jobsRun(), "each job run once");
        // records are spread round-robin over 8 partitions and the two replicas hold 4 each
        assertTrue(a.jobsRun() >= 10 && b.jobsRun() >= 10, "both replicas worked: " + a.jobsRun() + " / " + b.jobsRun());
    }

    @Test
    void compatibleJobsShareOneRunUpToMaxBatch() throws Exception {
        EchoWorker w = f.worker(0, true);
        f.replica(w, "0", 4).bringUp(true);
        CountDownLatch hold = w.holdNextBatch();
        List<String> first = f.enqueue(1);
        Awaitility.await().atMost(WAIT).until(() -> !f.jobs.find(first.get(0)).orElseThrow().state().id().equals("queued"));
        List<String> backlog = f.enqueue(8);
        hold.countDown();

        assertEquals(9, EdgeFixture.distinct(f.handedOn(9, WAIT)).size());
        List<Integer> sizes = w.batches.stream().map(List::size).toList();
        assertEquals(1, sizes.get(0), "the held job ran alone");
        List<Integer> backlogBatches = sizes.subList(1, sizes.size());
        assertEquals(8, backlogBatches.stream().mapToInt(Integer::intValue).sum());
        assertTrue(backlogBatches.stream().allMatch(n -> n <= 4), "never more than max-batch: " + sizes);
        // the backlog shares model calls: 8 jobs in at most 4 runs and at least one full batch (how the broker's fetches
        // split the 8 records decides the rest, e.g. [4, 4] or [1, 4, 3])
        assertTrue(backlogBatches.size() <= 4 && backlogBatches.contains(4), "batched: " + sizes);
        for (String id : backlog) {
            String recorded = f.redis.getHash(f.jobs.keys().job(id)).get("stage1.batch");
            int inBatch = w.batches.stream().filter(b -> b.contains(id)).findFirst().orElseThrow().size();
            assertEquals(String.valueOf(inBatch), recorded, "the job record names its batch's size");
        }
        assertEquals("1", f.redis.getHash(f.jobs.keys().job(first.get(0))).get("stage1.batch"));
    }

    @Test
    void aReplicaDrainedMidBacklogLosesAndDuplicatesNothing() throws Exception {
        EchoWorker a = f.worker(60, true);
        EchoWorker b = f.worker(60, true);
        Replica ra = f.replica(a, "0", 2);
        ra.bringUp(true);
        f.replica(b, "1", 2).bringUp(true);
        awaitAssigned(2);
        List<String> ids = f.enqueue(40);
        Awaitility.await().atMost(WAIT).until(() -> a.jobsRun() >= 4);
        CompletableFuture<Void> drained = CompletableFuture.runAsync(ra::drain);
        drained.get(40, TimeUnit.SECONDS);
        int byA = a.jobsRun();

        List<String> out = f.handedOn(40, WAIT);
        assertEquals(new HashSet<>(ids), EdgeFixture.distinct(out), "nothing lost");
        assertEquals(40, out.size(), "nothing handed on twice");
        assertEquals(40, a.jobsRun() + b.jobsRun(), "nothing run twice");
        assertEquals(byA, a.jobsRun(), "the drained replica took no work after it left");
        assertTrue(byA < 40 && b.jobsRun() > 0, "the other replica took over: " + byA + " / " + b.jobsRun());
    }

    @Test
    void aWarmingReplicaHoldsNoPartitionsAndAReadyOneHoldsThem() throws Exception {
        EchoWorker w = f.worker(0, false);
        Replica r = f.replica(w, "0", 1);
        CompletableFuture<Boolean> up = CompletableFuture.supplyAsync(() -> r.bringUp(true));
        Awaitility.await().atMost(WAIT).until(() -> w.state().name().equals("WARMING_UP"));
        Thread.sleep(1500);
        assertEquals(0, members(f.topics.group(EdgeFixture.STAGE)).size(), "no member while warming");

        w.warm.countDown();
        assertTrue(up.get(60, TimeUnit.SECONDS));
        assertEquals("READY", w.state().name());
        // ready means taking work: by the time bringUp returns, the group has given the replica its partitions
        assertEquals(8, members(f.topics.group(EdgeFixture.STAGE)).iterator().next().assignment().topicPartitions()
                .size(), "a ready replica holds every partition of its topic");
        MemberDescription m = members(f.topics.group(EdgeFixture.STAGE)).iterator().next();
        assertEquals(java.util.Optional.of(f.topics.fleet() + "-stage1-0"), m.groupInstanceId(), "static member id");
    }

    @Test
    void twoFleetsOnOneKafkaAndRedisNeverTakeEachOthersJobs() {
        try (EdgeFixture other = new EdgeFixture()) {
            EchoWorker mine = f.worker(0, true);
            EchoWorker theirs = other.worker(0, true);
            f.replica(mine, "0", 1).bringUp(true);
            other.replica(theirs, "0", 1).bringUp(true);
            List<String> myIds = f.enqueue(6);
            List<String> theirIds = other.enqueue(6);

            assertEquals(new HashSet<>(myIds), EdgeFixture.distinct(f.handedOn(6, WAIT)));
            assertEquals(new HashSet<>(theirIds), EdgeFixture.distinct(other.handedOn(6, WAIT)));
            assertEquals(new HashSet<>(myIds), ran(mine));
            assertEquals(new HashSet<>(theirIds), ran(theirs));
        }
    }

    private static Set<String> ran(EchoWorker w) {
        Set<String> ids = new HashSet<>();
        w.batches.forEach(ids::addAll);
        return ids;
    }

    /** Waits until {@code n} members of the stage's group hold partitions (a join takes a cooperative rebalance). */
    private void awaitAssigned(int n) {
        Awaitility.await().atMost(WAIT).until(() -> members(f.topics.group(EdgeFixture.STAGE)).stream()
                .filter(m -> !m.assignment().topicPartitions().isEmpty()).count() == n);
    }

    private static java.util.Collection<MemberDescription> members(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", DevStack.shared().bootstrapServers()))) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS)
                    .get(group);
            return d.members();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }
}
