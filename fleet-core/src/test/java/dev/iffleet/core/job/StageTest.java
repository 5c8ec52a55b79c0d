package dev.iffleet.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iffleet.core.queue.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Stage names, order and the size each stage delivers. */
class StageTest {

    @Test
    void idsFollowTheCascadeInOrder() {
        assertEquals(List.of("encode", "stage1", "sr", "upscale"), Arrays.stream(Stage.values()).map(Stage::id).toList());
    }

    @Test
    void stageIsWrittenAndReadAsItsId() {
        for (Stage s : Stage.values()) {
            assertEquals("\"" + s.id() + "\"", Json.write(s));
            assertEquals(s, Json.read("\"" + s.id() + "\"", Stage.class));
            assertEquals(s, Stage.fromId(s.id()));
        }
    }

    @Test
    void unknownIdIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Stage.fromId("STAGE1"));
    }

    @Test
    void nextWalksTheCascadeAndEndsAfterUpscale() {
        assertEquals(Optional.of(Stage.STAGE1), Stage.ENCODE.next());
        assertEquals(Optional.of(Stage.SR), Stage.STAGE1.next());
        assertEquals(Optional.of(Stage.UPSCALE), Stage.SR.next());
        assertEquals(Optional.empty(), Stage.UPSCALE.next());
    }

    @ParameterizedTest
    @CsvSource({"64, STAGE1", "256, SR", "1024, UPSCALE"})
    void deliveringSizeNamesTheStageThatProducesIt(int size, Stage expected) {
        assertEquals(expected, Stage.deliveringSize(size));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 32, 128, 512, 2048, -64})
    void deliveringSizeRejectsOtherSizes(int size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stage.deliveringSize(size));
        assertEquals("output size must be 64, 256 or 1024, got " + size, e.getMessage());
    }
}
