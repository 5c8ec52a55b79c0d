package dev.iffleet.core.queue;

import dev.iffleet.core.job.Stage;
import java.util.ArrayList;
import java.util.List;

/** Kafka topic names of the cascade: one input topic and one dead-letter topic per stage, plus events. */
public final class Topics {

    public static final String EVENTS = "if.events";

    private Topics() {}

    /** The topic a stage consumes, e.g. {@code if.stage1}. */
    public static String input(Stage stage) {
        return "if." + stage.id();
    }

    /** Where a stage's poison or exhausted messages go, e.g. {@code if.stage1.dlq}. */
    public static String deadLetter(Stage stage) {
        return input(stage) + ".dlq";
    }

    /** Every topic the fleet uses. */
    public static List<String> all() {
        List<String> all = new ArrayList<>();
        for (Stage s : Stage.values()) {
            all.add(input(s));
            all.add(deadLetter(s));
        }
        all.add(EVENTS);
        return all;
    }
}
