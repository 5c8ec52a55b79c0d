package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The supervisor on real OS processes ({@code sleep}): a killed one is restarted with backoff, within its bound. */
class WorkerSupervisorTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final Pool pool = new Pool();
    private int restartedCalls;

    /** One "worker": the newest process of its list. */
    private final class Worker implements WorkerSupervisor.Watched {
        final Process p;

        Worker(Process p) {
            this.p = p;
        }

        @Override
        public String name() {
            return "stage1-worker#0";
        }

        @Override
        public boolean isAlive() {
            return p.isAlive();
        }

        @Override
        public boolean isLiveDown() {
            return false;
        }

        @Override
        public void kill() {
            p.destroyForcibly();
        }
    }

    private final class Pool implements WorkerSupervisor.Pool {
        volatile Worker current;
        volatile boolean stopping;

        @Override
        public List<Worker> watched() {
            return List.of(current);
        }

        @Override
        public boolean respawn(WorkerSupervisor.Watched dead) {
            if (stopping) {
                return false;
            }
            current = new Worker(sleep());
            return true;
        }
    }

    private Process sleep() {
        try {
            Process p = new ProcessBuilder("sleep", "300").start();
            started.add(p);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void killAll() {
        started.forEach(Process::destroyForcibly);
    }

    private WorkerSupervisor supervisor() {
        pool.current = new Worker(sleep());
        return new WorkerSupervisor(pool, new RestartPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(30)), clock::get,
                () -> restartedCalls++);
    }

    private void killCurrent() throws InterruptedException {
        pool.current.p.destroyForcibly().waitFor();
    }

    @Test
    void aKilledWorkerIsRestartedAfterItsBackoffAndNoMoreThanTheBoundPerMinute() throws Exception {
        WorkerSupervisor s = supervisor();
        Process first = pool.current.p;
        killCurrent();
        s.tick();
        assertEquals(first, pool.current.p, "not before its backoff (1 s)");
        clock.addAndGet(999);
        s.tick();
        assertEquals(first, pool.current.p);
        clock.addAndGet(1);
        s.tick();
        assertTrue(pool.current.p != first && pool.current.p.isAlive(), "restarted as a new process");
        assertEquals(1, s.restarts("stage1-worker#0"));
        assertEquals(1, restartedCalls, "the launcher is told (it rewrites its state file)");

        killCurrent();
        s.tick();
        clock.addAndGet(1999);
        s.tick();
        assertEquals(1, s.restarts("stage1-worker#0"), "the second backoff doubles to 2 s");
        clock.addAndGet(1);
        s.tick();
        assertEquals(2, s.restarts("stage1-worker#0"));

        killCurrent();
        Process third = pool.current.p;
        clock.addAndGet(30_000);
        s.tick();
        s.tick();
        assertEquals(third, pool.current.p, "2 restarts in the last minute: held back");
        clock.addAndGet(30_000);
        s.tick();
        clock.addAndGet(1_000);
        s.tick();
        assertEquals(3, s.restarts("stage1-worker#0"), "restarted once the minute's window allows");
        assertTrue(pool.current.p.isAlive());
    }

    @Test
    void nothingIsRestartedDuringAnOrderedStop() throws Exception {
        WorkerSupervisor s = supervisor();
        s.close();
        pool.stopping = true;
        Process first = pool.current.p;
        killCurrent();
        s.tick();
        clock.addAndGet(60_000);
        s.tick();
        assertEquals(first, pool.current.p);
        assertFalse(pool.current.p.isAlive());
        assertEquals(0, s.restarts("stage1-worker#0"));
    }

    @Test
    void theTimerRestartsAKilledProcessByItself() throws Exception {
        WorkerSupervisor s = new WorkerSupervisor(pool, new RestartPolicy(5, Duration.ofMillis(100),
                Duration.ofSeconds(1)), System::currentTimeMillis, () -> { });
        pool.current = new Worker(sleep());
        s.start();
        try {
            Process first = pool.current.p;
            killCurrent();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (pool.current.p == first && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(pool.current.p != first && pool.current.p.isAlive(), "restarted within 20 s");
        } finally {
            s.close();
        }
        List<Process> all = new ArrayList<>(started);
        assertEquals(2, all.size(), "exactly one restart");
    }
}
