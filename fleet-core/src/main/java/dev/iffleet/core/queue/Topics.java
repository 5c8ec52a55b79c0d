package dev.iffleet.core.queue;

import dev.iffleet.core.job.Stage;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka names of one fleet: an input and a dead-letter topic per stage, the events topic and the consumer groups,
 * all under the fleet's name ({@code fleet.name}), so two fleets on one Kafka never read each other's records.
 *
 * @param fleet the fleet's name; {@value #DEFAULT_NAME} unless configured
 */
public record Topics(String fleet) {

    public static final String DEFAULT_NAME = "if";
    /** The names of a fleet that kept the default name. */
    public static final Topics DEFAULT = new Topics(DEFAULT_NAME);

    public Topics {
        if (fleet == null || !fleet.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException(
                    "fleet.name must be 1-64 letters, digits, '-' or '_' (starting with a letter or digit), got '" + fleet + "'");
        }
    }

    /** The topic a stage consumes, e.g. {@code if.stage1}. */
    public String input(Stage stage) {
        return fleet + "." + stage.id();
    }

    /** Where a stage's poison or exhausted messages go, e.g. {@code if.stage1.dlq}. */
    public String deadLetter(Stage stage) {
        return input(stage) + ".dlq";
    }

    /** Every job event of the fleet, keyed by job id, e.g. {@code if.events}. */
    public String events() {
        return fleet + ".events";
    }

    /** The consumer group of a stage's replicas, e.g. {@code if-stage1}. */
    public String group(Stage stage) {
        return fleet + "-" + stage.id();
    }

    /**
     * Where each replica rehearses its hops before it joins its group (one partition, read without a group), e.g.
     * {@code if.warmup}; no job ever travels on it.
     */
    public String warmup() {
        return fleet + ".warmup";
    }

    /** Every topic the fleet uses for jobs. */
    public List<String> all() {
        List<String> all = new ArrayList<>();
        for (Stage s : Stage.values()) {
            all.add(input(s));
            all.add(deadLetter(s));
        }
        all.add(events());
        return all;
    }
}
