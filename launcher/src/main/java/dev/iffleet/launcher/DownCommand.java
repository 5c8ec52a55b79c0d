package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./fleet down [--name N]}: stops a fleet that {@code ./fleet up} started in another shell, from its state file.
 * A running launcher is asked (SIGTERM) and stops its fleet in order itself; whatever is still alive after it (or
 * after a launcher that was SIGKILLed) is stopped here in the same order: gateway, workers with their drain time,
 * then Kafka and Redis.
 */
final class DownCommand {

    /** Beyond the longest worker grace, how long a launcher may take for the gateway, Kafka and Redis. */
    private static final long LAUNCHER_EXTRA_MS = 30_000;

    private DownCommand() {}

    static int run(Path root, String[] args, PrintStream out) {
        String name = Topics.DEFAULT_NAME;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--name") && i + 1 < args.length) {
                name = args[++i];
            } else {
                throw new IllegalArgumentException("down takes only --name NAME, got " + args[i]);
            }
        }
        Path file = FleetState.file(root, name);
        Optional<FleetState> read = FleetState.read(file);
        if (read.isEmpty()) {
            out.println("no fleet '" + name + "' is up (no " + file + ")");
            return 1;
        }
        FleetState state = read.get();
        Map<String, String> outcome = new LinkedHashMap<>();
        long longest = state.processes().stream().mapToLong(FleetState.Proc::stopGraceMs).max().orElse(0);
        state.launcher().handle().ifPresent(launcher -> {
            out.printf("asking launcher pid %d to stop fleet '%s' (workers may drain up to %d s) ...%n",
                    launcher.pid(), state.name(), longest / 1000);
            launcher.destroy();
            boolean exited = await(launcher, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(longest + LAUNCHER_EXTRA_MS));
            outcome.put("launcher pid " + launcher.pid(), exited ? "exited" : "killed (did not exit in time)");
        });
        stopInOrder(state, outcome);
        outcome.forEach((what, how) -> out.printf("  %-34s %s%n", what, how));
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent()); // only if empty
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // something else lives there: keep it
        } catch (IOException e) {
            out.println("cannot remove " + file + ": " + e.getMessage());
        }
        out.println("fleet '" + state.name() + "' is down");
        return 0;
    }

    /** Gateway first, then every worker at once (each with its own grace), then the stack. */
    private static void stopInOrder(FleetState state, Map<String, String> outcome) {
        List<FleetState.Proc> gateway = new ArrayList<>();
        List<FleetState.Proc> workers = new ArrayList<>();
        for (FleetState.Proc p : state.processes()) {
            (p.service().equals("gateway") ? gateway : workers).add(p);
        }
        stopTogether(gateway, outcome);
        stopTogether(workers, outcome);
        stopTogether(state.stack() == null ? List.of() : state.stack(), outcome);
    }

    private static void stopTogether(List<FleetState.Proc> procs, Map<String, String> outcome) {
        long now = System.nanoTime();
        Map<FleetState.Proc, ProcessHandle> alive = new LinkedHashMap<>();
        for (FleetState.Proc p : procs) {
            Optional<ProcessHandle> h = p.handle();
            if (h.isEmpty()) {
                outcome.putIfAbsent(describe(p), "stopped");
                continue;
            }
            h.get().destroy();
            alive.put(p, h.get());
        }
        alive.forEach((p, h) -> {
            boolean exited = await(h, now + TimeUnit.MILLISECONDS.toNanos(p.stopGraceMs()));
            outcome.put(describe(p), exited ? "stopped (SIGTERM)" : "killed after " + p.stopGraceMs() / 1000 + " s");
        });
    }

    private static String describe(FleetState.Proc p) {
        return p.label() + " pid " + p.pid();
    }

    /** Waits for exit until {@code deadline}; SIGKILLs then. True if it exited by itself. */
    private static boolean await(ProcessHandle h, long deadline) {
        try {
            h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception timeout) {
            // fall through to SIGKILL
        }
        h.destroyForcibly();
        try {
            h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // stuck in the kernel: nothing more to do
        }
        return false;
    }
}
