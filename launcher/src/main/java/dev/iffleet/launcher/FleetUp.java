package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;

import dev.iffleet.devstack.DevStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import sun.misc.Signal;

/**
 * Starts Kafka, Redis and a fleet for {@code ./fleet up} / {@code ./fleet demo}, records them in the state file, and
 * stops them in order on SIGTERM, SIGINT or SIGHUP: workers drain before Kafka and Redis go.
 *
 * <p>Why a signal handler and not a shutdown hook: on SIGTERM the JVM runs every shutdown hook at once, so dev-stack's
 * hooks would kill Kafka and Redis while the workers still drain (and before this class existed nothing stopped the
 * services at all: they were started by {@code exec java}'s JVM, in no process group of their own, and kept running;
 * Ctrl-C only seemed to work because the terminal signals its whole foreground process group). The handler stops
 * everything itself, then exits, so the hooks find nothing left to do.
 */
final class FleetUp {

    private final Path root;
    private final Path work;
    private final DemoOptions opts;
    private final Path stateFile;
    private final FleetOptions options;
    private DevStack stack;
    private Fleet fleet;
    private WorkerSupervisor supervisor;
    private boolean stopped;
    private final CountDownLatch done = new CountDownLatch(1);

    FleetUp(Path root, DemoOptions opts) {
        this.root = root;
        this.opts = opts;
        this.work = root.resolve(".fleet").resolve("run-" + ProcessHandle.current().pid());
        this.stateFile = FleetState.file(root, opts.fleet().name());
        // built (and so checked: a short device list, a second gateway) before anything starts
        this.options = opts.fleet().apply(FleetOptions.builder(opts.pack(), work.resolve("logs"))).build();
    }

    /** Refuses a second fleet of the same name while the first one's launcher still runs. */
    void checkNameFree() {
        FleetState.read(stateFile).filter(FleetState::launcherAlive).ifPresent(s -> {
            throw new IllegalArgumentException("fleet '" + s.name() + "' is already up (launcher pid " + s.launcher().pid()
                    + "); ./fleet down --name " + s.name() + " first, or pick another --name");
        });
    }

    /** From now on SIGTERM, SIGINT and SIGHUP stop what this launcher started, in order, and exit 128 + signal. */
    void installSignalHandlers() {
        for (String name : List.of("TERM", "INT", "HUP")) {
            Signal.handle(new Signal(name), sig -> {
                System.out.println("\nfleet: SIG" + sig.getName() + (stopping()
                        ? ", already stopping (workers may take their drain timeout + 10 s)" : ", stopping ..."));
                stop();
                System.exit(128 + sig.getNumber());
            });
        }
    }

    DevStack startStack() {
        DevStack s = DevStack.start(work);
        synchronized (this) {
            stack = s;
            if (stopped) {
                s.close();
                throw new IllegalStateException("stopped while starting");
            }
        }
        return s;
    }

    /** Starts every replica, writes the state file, waits for readiness and writes it again ({@code ready}). */
    Fleet startFleet() {
        Fleet f = Fleet.create(root, options);
        synchronized (this) {
            if (stopped) {
                throw new IllegalStateException("stopped while starting");
            }
            fleet = f;
        }
        f.launch(stack);
        writeState(false);
        f.awaitReady(options.readyTimeout());
        writeState(true);
        synchronized (this) {
            if (!stopped) {
                // from now on a worker that dies is restarted (a kill -9, a crash, a hung call's liveness DOWN)
                supervisor = new WorkerSupervisor(f.workerPool(), RestartPolicy.defaults(), System::currentTimeMillis,
                        () -> writeState(true)).start();
            }
        }
        return f;
    }

    Path logDir() {
        return work.resolve("logs");
    }

    /**
     * Stops the fleet (gateway, then workers with their drain time), then Kafka and Redis; removes the state file. A
     * second caller (a second Ctrl-C, or the main thread whose fleet just went away) waits until the first is done:
     * exiting earlier would run dev-stack's hooks, killing Kafka under draining workers and orphaning them.
     */
    void stop() {
        boolean first;
        synchronized (this) {
            first = !stopped;
            stopped = true;
        }
        if (!first) {
            awaitDone();
            return;
        }
        try {
            stopAll();
        } finally {
            done.countDown();
        }
    }

    /** True once a stop has begun (a signal, or the end of a demo). */
    synchronized boolean stopping() {
        return stopped;
    }

    private void awaitDone() {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAll() {
        long t0 = System.nanoTime();
        WorkerSupervisor s;
        synchronized (this) {
            s = supervisor;
        }
        if (s != null) {
            s.close(); // an ordered stop: the workers it stops must not come back
        }
        if (fleet != null) {
            fleet.close();
        }
        if (stack != null) {
            stack.close();
        }
        try {
            Files.deleteIfExists(stateFile);
            Files.deleteIfExists(stateFile.getParent()); // only if empty
        } catch (IOException e) {
            // a stale file is harmless: its launcher pid is gone
        }
        System.out.printf("fleet: stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    private synchronized void writeState(boolean ready) {
        if (stopped) {
            return;
        }
        List<FleetState.Proc> procs = new ArrayList<>();
        for (ServiceProcess p : fleet.services()) {
            ProcessHandle.of(p.pid()).ifPresent(h -> procs.add(FleetState.Proc.of(p.service().stage(), p.replica(), h,
                    p.port(), p.device(), p.log().toString(), fleet.stopGrace(p.service()).toMillis())));
        }
        // whatever else this JVM started (Kafka's JVM, Redis and its watchdog) is the stack
        Set<Long> services = procs.stream().map(FleetState.Proc::pid).collect(Collectors.toSet());
        List<FleetState.Proc> stackProcs = ProcessHandle.current().descendants()
                .filter(h -> !services.contains(h.pid()) && !isDescendantOf(h, services))
                .map(h -> FleetState.Proc.of(stackName(h), -1, h, 0, "", "", ServiceProcess.STOP_GRACE.toMillis()))
                .toList();
        ProcessHandle self = ProcessHandle.current();
        Topics names = FleetOptions.topics(fleet.options().extraConfig());
        String gateway = fleet.service(Service.GATEWAY) == null ? null : fleet.gatewayUrl();
        new FleetState(names.fleet(), FleetState.Proc.of("launcher", -1, self, 0, "", "", 0), stack.bootstrapServers(),
                stack.redisUri(), FleetOptions.keys(names, fleet.options().extraConfig()).prefix(), gateway, ready, true, procs, stackProcs)
                .write(stateFile);
    }

    private static boolean isDescendantOf(ProcessHandle h, Set<Long> pids) {
        for (ProcessHandle p = h.parent().orElse(null); p != null; p = p.parent().orElse(null)) {
            if (pids.contains(p.pid())) {
                return true;
            }
        }
        return false;
    }

    private static String stackName(ProcessHandle h) {
        String cmd = h.info().commandLine().orElse("");
        return cmd.contains("redis") ? "redis" : cmd.contains("afka") ? "kafka" : "stack";
    }
}
