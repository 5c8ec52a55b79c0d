package dev.iffleet.launcher;

import dev.iffleet.devstack.DevStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One fleet of the tiny pack for the end-to-end test classes of this JVM: starting five services costs most of a
 * minute, so the classes share it (jobs are independent), and it stops when the JVM exits. A test that starts a
 * fleet of its own must {@link #stop()} this one first: two fleets on one Kafka share the consumer groups, and one
 * fleet's workers would take (and skip, not finding them in their Redis prefix) the other's jobs.
 */
final class SharedFleet {

    private static Fleet fleet;

    private SharedFleet() {}

    static synchronized Fleet get() {
        if (fleet == null) {
            Path root = RepoRoot.find();
            fleet = Fleet.start(DevStack.shared(), root, root.resolve("models/tiny"),
                    root.resolve("launcher/target/e2e-logs"), Map.of("fleet.redis.key-prefix", "e2e:"),
                    Duration.ofMinutes(5));
            Fleet started = fleet;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-fleet-stop"));
        }
        return fleet;
    }

    /** Stops the shared fleet if it runs; a later {@link #get()} starts a new one. */
    static synchronized void stop() {
        if (fleet != null) {
            fleet.close();
            fleet = null;
        }
    }
}
