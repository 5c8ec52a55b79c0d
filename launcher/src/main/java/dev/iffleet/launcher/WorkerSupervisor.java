package dev.iffleet.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps {@code ./fleet up}'s workers running: a replica whose process exited (a crash, a kill -9) or whose
 * {@code /q/health/live} answers DOWN (a hung model call; it is killed first) is started again with
 * {@link RestartPolicy}'s backoff and bound, each restart logged. An ordered stop ({@link #close()} first, then the
 * fleet's own refusal to respawn once closed) restarts nothing.
 */
final class WorkerSupervisor implements AutoCloseable {

    /** One supervised replica. */
    interface Watched {
        String name();

        boolean isAlive();

        /** True only when the process answered its liveness check with DOWN (not when it does not answer yet). */
        boolean isLiveDown();

        void kill();
    }

    /** The replicas to watch and how to start one again. */
    interface Pool {
        List<? extends Watched> watched();

        /** Starts a replica again in place of {@code dead}; false when the pool is stopping. */
        boolean respawn(Watched dead);
    }

    static final long TICK_MS = 1000;
    private static final int LIVENESS_EVERY_TICKS = 5;

    private final Pool pool;
    private final RestartPolicy policy;
    private final LongSupplier clock;
    private final Runnable restarted;
    private final Map<String, List<Long>> restarts = new HashMap<>();
    private final Map<String, Long> dueAt = new HashMap<>();
    private final Map<String, Boolean> heldBack = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "worker-supervisor");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    private long ticks;

    /** @param restarted called after each restart (the launcher rewrites its state file with the new pid) */
    WorkerSupervisor(Pool pool, RestartPolicy policy, LongSupplier clock, Runnable restarted) {
        this.pool = pool;
        this.policy = policy;
        this.clock = clock;
        this.restarted = restarted;
    }

    WorkerSupervisor start() {
        timer.scheduleWithFixedDelay(this::tickQuietly, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** How often each replica was restarted so far. */
    synchronized int restarts(String name) {
        return restarts.getOrDefault(name, List.of()).size();
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            System.out.println("fleet: supervisor: " + e.getMessage());
        }
    }

    synchronized void tick() {
        boolean probeLiveness = ticks++ % LIVENESS_EVERY_TICKS == 0;
        for (Watched w : new ArrayList<>(pool.watched())) {
            if (closed) {
                return;
            }
            if (probeLiveness && w.isAlive() && w.isLiveDown()) {
                System.out.println("fleet: " + w.name() + " reports itself not live (a hung model call?): killing it");
                w.kill();
            }
            if (!w.isAlive()) {
                onDead(w);
            }
        }
    }

    private void onDead(Watched w) {
        long now = clock.getAsLong();
        List<Long> history = restarts.computeIfAbsent(w.name(), k -> new ArrayList<>());
        if (policy.exhausted(history, now)) {
            if (heldBack.put(w.name(), true) == null) {
                System.out.printf("fleet: %s died again: %d restarts in the last minute, waiting before the next%n",
                        w.name(), RestartPolicy.recent(history, now));
            }
            return;
        }
        Long due = dueAt.get(w.name());
        if (due == null) {
            long wait = policy.backoff(history, now).toMillis();
            dueAt.put(w.name(), now + wait);
            System.out.printf("fleet: %s exited unexpectedly; restarting it in %d ms%n", w.name(), wait);
            return;
        }
        if (now < due) {
            return;
        }
        if (!closed && pool.respawn(w)) {
            history.add(now);
            dueAt.remove(w.name());
            heldBack.remove(w.name());
            System.out.printf("fleet: %s restarted (%d in the last minute)%n", w.name(), RestartPolicy.recent(history, now));
            restarted.run();
        }
    }

    /** Stops supervising: from now on nothing is restarted (called before an ordered stop). */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }
}
