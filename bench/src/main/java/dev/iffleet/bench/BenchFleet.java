package dev.iffleet.bench;

import dev.iffleet.devstack.DevStack;
import dev.iffleet.launcher.Fleet;
import dev.iffleet.launcher.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** Starts Kafka, Redis and the five services (or some of them) for a benchmark, under {@code .fleet/bench-<pid>}. */
final class BenchFleet implements AutoCloseable {

    final DevStack stack;
    final Fleet fleet;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BenchFleet(DevStack stack, Fleet fleet) {
        this.stack = stack;
        this.fleet = fleet;
    }

    static BenchFleet start() {
        return start(EnumSet.allOf(Service.class));
    }

    static BenchFleet start(EnumSet<Service> services) {
        return start(services, root().resolve("models/tiny"));
    }

    static Path root() {
        return Path.of(System.getProperty("iffleet.repo.root", ".")).toAbsolutePath().normalize();
    }

    static BenchFleet start(EnumSet<Service> services, Path pack) {
        Path root = root();
        Path work = root.resolve(".fleet").resolve("bench-" + ProcessHandle.current().pid());
        DevStack stack = DevStack.start(work);
        try {
            Fleet fleet = Fleet.start(stack, root, pack, work.resolve("logs"), Map.of(),
                    Duration.ofMinutes(5), services);
            System.out.printf("fleet up: gateway %s, logs %s%n", fleet.gatewayUrl(), work.resolve("logs"));
            BenchFleet bf = new BenchFleet(stack, fleet);
            // a bench stopped with Ctrl-C must not leave five services, Kafka and Redis behind
            Runtime.getRuntime().addShutdownHook(new Thread(bf::close, "bench-fleet-stop"));
            return bf;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            fleet.close();
        } finally {
            stack.close();
        }
    }
}
