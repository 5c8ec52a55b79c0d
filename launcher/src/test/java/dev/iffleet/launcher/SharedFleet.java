package dev.iffleet.launcher;

import dev.iffleet.devstack.DevStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One fleet of the tiny pack for every end-to-end test class of this JVM: starting five services costs most of a
 * minute, so the classes share it (jobs are independent), and it stops when the JVM exits.
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
}
