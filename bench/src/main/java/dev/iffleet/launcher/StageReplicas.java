package dev.iffleet.launcher;

import dev.iffleet.devstack.DevStack;
import dev.iffleet.devstack.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale bench's replicas of one stage, started and stopped while the rest of the fleet keeps running, each with
 * its own config ({@code fleet.worker.replica}, backend, max batch) and its own log folder.
 *
 * <p>In the launcher's package because it needs {@code ServiceProcess.start}: {@code FleetOptions} fixes a fleet's
 * replicas at start, and the scale bench changes stage I's replica set (count, backend, max batch) on a running
 * fleet. If the launcher gains a way to add and stop replicas of a running fleet, use it and delete this class.
 */
public final class StageReplicas implements AutoCloseable {

    private final Service service;
    private final DevStack stack;
    private final Path repoRoot;
    private final Path packDir;
    private final Path logDir;
    private final List<ServiceProcess> running = new ArrayList<>();
    private int started;

    public StageReplicas(Service service, DevStack stack, Path repoRoot, Path packDir, Path logDir) {
        this.service = service;
        this.stack = stack;
        this.repoRoot = repoRoot;
        this.packDir = packDir;
        this.logDir = logDir;
    }

    /** Starts {@code n} more replicas with {@code config} and waits until all are ready (models warm). */
    public void add(int n, Map<String, String> config, Duration readyTimeout) {
        List<ServiceProcess> fresh = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> c = new HashMap<>(config);
            String replica = Integer.toString(started++);
            c.put("fleet.worker.replica", replica);
            c.put("kafka.bootstrap.servers", stack.bootstrapServers());
            c.put("fleet.redis.uri", stack.redisUri());
            c.put("fleet.pack.dir", packDir.toAbsolutePath().toString());
            Path dir = logDir.resolve(service.module() + "-" + replica);
            try {
                java.nio.file.Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ServiceProcess p = ServiceProcess.start(service, repoRoot, Ports.free(), c, dir);
            fresh.add(p);
            running.add(p);
        }
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        List<ServiceProcess> pending = new ArrayList<>(fresh);
        while (!pending.isEmpty()) {
            pending.removeIf(ServiceProcess::isReady);
            if (!pending.isEmpty() && System.nanoTime() > deadline) {
                throw new IllegalStateException("replicas not ready after " + readyTimeout + ": "
                        + pending.stream().map(ServiceProcess::log).toList());
            }
            sleep(250);
        }
    }

    public int count() {
        return running.size();
    }

    /** Stops every replica (SIGTERM: they leave the consumer group at once). */
    public void stopAll() {
        running.forEach(ServiceProcess::close);
        running.clear();
    }

    @Override
    public void close() {
        stopAll();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
