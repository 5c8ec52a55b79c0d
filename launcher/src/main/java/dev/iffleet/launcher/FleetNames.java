package dev.iffleet.launcher;

import dev.iffleet.core.job.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The names a fleet called {@code fleet.name} uses (topics, consumer groups, Redis prefix), as the contract fixes
 * them. Kept here until fleet-core's {@code Topics} takes the fleet name; then this delegates to it.
 */
public record FleetNames(String name) {

    public static final String DEFAULT_NAME = "if";
    public static final int DEFAULT_PARTITIONS = 48;

    /** The names of the fleet whose {@code fleet.name} is in {@code config} (default {@code if}). */
    static FleetNames of(Map<String, String> config) {
        return new FleetNames(config.getOrDefault("fleet.name", DEFAULT_NAME));
    }

    /** The topic a stage consumes, e.g. {@code if.stage1}. */
    public String input(Stage stage) {
        return name + "." + stage.id();
    }

    public String deadLetter(Stage stage) {
        return input(stage) + ".dlq";
    }

    public String events() {
        return name + ".events";
    }

    /** The consumer group of a stage's workers, e.g. {@code if-stage1}. */
    public String group(Stage stage) {
        return name + "-" + stage.id();
    }

    /** Every topic the fleet uses. */
    public List<String> allTopics() {
        List<String> all = new ArrayList<>();
        for (Stage s : Stage.values()) {
            all.add(input(s));
            all.add(deadLetter(s));
        }
        all.add(events());
        return all;
    }

    /** Redis key prefix: {@code fleet.redis.key-prefix} if set, else "" for the default name, else {@code <name>:}. */
    public String redisPrefix(Map<String, String> config) {
        String set = config.get("fleet.redis.key-prefix");
        if (set != null) {
            return set;
        }
        return name.equals(DEFAULT_NAME) ? "" : name + ":";
    }

    /** The hash where every worker's heartbeat lives, one field {@code <stage>:<replica>} each. */
    public String workersKey(Map<String, String> config) {
        return redisPrefix(config) + "workers";
    }
}
