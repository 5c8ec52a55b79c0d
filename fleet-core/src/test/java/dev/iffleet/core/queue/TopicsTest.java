package dev.iffleet.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.core.job.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kafka topic names of the cascade. */
class TopicsTest {

    @Test
    void inputTopicsAreNamedAfterTheStages() {
        assertEquals("if.encode", Topics.DEFAULT.input(Stage.ENCODE));
        assertEquals("if.stage1", Topics.DEFAULT.input(Stage.STAGE1));
        assertEquals("if.sr", Topics.DEFAULT.input(Stage.SR));
        assertEquals("if.upscale", Topics.DEFAULT.input(Stage.UPSCALE));
    }

    @Test
    void deadLetterTopicsAppendDlq() {
        assertEquals("if.encode.dlq", Topics.DEFAULT.deadLetter(Stage.ENCODE));
        assertEquals("if.stage1.dlq", Topics.DEFAULT.deadLetter(Stage.STAGE1));
        assertEquals("if.sr.dlq", Topics.DEFAULT.deadLetter(Stage.SR));
        assertEquals("if.upscale.dlq", Topics.DEFAULT.deadLetter(Stage.UPSCALE));
    }

    @Test
    void eventsTopic() {
        assertEquals("if.events", Topics.DEFAULT.events());
    }

    @Test
    void allListsEveryTopicOnce() {
        assertEquals(List.of("if.encode", "if.encode.dlq", "if.stage1", "if.stage1.dlq", "if.sr", "if.sr.dlq",
                "if.upscale", "if.upscale.dlq", "if.events"), Topics.DEFAULT.all());
    }

    @Test
    void anotherFleetNameNamespacesTopicsAndGroups() {
        Topics blue = new Topics("blue");
        assertEquals("blue.stage1", blue.input(Stage.STAGE1));
        assertEquals("blue.sr.dlq", blue.deadLetter(Stage.SR));
        assertEquals("blue.events", blue.events());
        assertEquals("blue-upscale", blue.group(Stage.UPSCALE));
        assertEquals("if-encode", Topics.DEFAULT.group(Stage.ENCODE));
    }

    @Test
    void refusesNamesKafkaOrRedisWouldMisread() {
        for (String bad : new String[] {"", "a.b", "a b", "-x", "a:b"}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Topics(bad), bad);
        }
    }
}
