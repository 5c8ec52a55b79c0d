package dev.iffleet.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.core.job.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kafka topic names of the cascade. */
class TopicsTest {

    @Test
    void inputTopicsAreNamedAfterTheStages() {
        assertEquals("if.encode", Topics.input(Stage.ENCODE));
        assertEquals("if.stage1", Topics.input(Stage.STAGE1));
        assertEquals("if.sr", Topics.input(Stage.SR));
        assertEquals("if.upscale", Topics.input(Stage.UPSCALE));
    }

    @Test
    void deadLetterTopicsAppendDlq() {
        assertEquals("if.encode.dlq", Topics.deadLetter(Stage.ENCODE));
        assertEquals("if.stage1.dlq", Topics.deadLetter(Stage.STAGE1));
        assertEquals("if.sr.dlq", Topics.deadLetter(Stage.SR));
        assertEquals("if.upscale.dlq", Topics.deadLetter(Stage.UPSCALE));
    }

    @Test
    void eventsTopic() {
        assertEquals("if.events", Topics.EVENTS);
    }

    @Test
    void allListsEveryTopicOnce() {
        assertEquals(List.of("if.encode", "if.encode.dlq", "if.stage1", "if.stage1.dlq", "if.sr", "if.sr.dlq",
                "if.upscale", "if.upscale.dlq", "if.events"), Topics.all());
    }
}
