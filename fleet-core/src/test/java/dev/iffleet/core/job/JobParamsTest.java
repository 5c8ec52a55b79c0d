package dev.iffleet.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Derived values of a job's parameters. */
class JobParamsTest {

    private static JobParams withSize(int size) {
        return new JobParams("p", "", 42, size, null, null, null);
    }

    @Test
    void lastStageIsTheStageDeliveringTheOutputSize() {
        assertEquals(Stage.STAGE1, withSize(64).lastStage());
        assertEquals(Stage.SR, withSize(256).lastStage());
        assertEquals(Stage.UPSCALE, withSize(1024).lastStage());
    }

    @Test
    void lastStageRejectsAnUnsupportedSize() {
        assertThrows(IllegalArgumentException.class, () -> withSize(100).lastStage());
    }

    @Test
    void seedDiffersPerStage() {
        JobParams p = withSize(1024);
        long distinct = Arrays.stream(Stage.values()).mapToLong(p::seedFor).distinct().count();
        assertEquals(Stage.values().length, distinct);
    }

    @Test
    void seedIsDeterministicForTheSameJobSeed() {
        for (Stage s : Stage.values()) {
            assertEquals(withSize(64).seedFor(s), withSize(1024).seedFor(s));
        }
    }

    @Test
    void seedDiffersBetweenJobSeeds() {
        JobParams other = new JobParams("p", "", 43, 64, null, null, null);
        assertNotEquals(withSize(64).seedFor(Stage.STAGE1), other.seedFor(Stage.STAGE1));
    }

    @Test
    void missingOverridesAndNegativePromptGetDefaults() {
        JobParams p = new JobParams("p", null, 1, 64, null, null, null);
        assertEquals("", p.negativePrompt());
        for (Stage s : Stage.values()) {
            assertEquals(StageOverrides.NONE, p.overrides(s));
        }
    }

    @Test
    void overridesAreThoseOfTheAskedStage() {
        StageOverrides s1 = new StageOverrides(1, null, null);
        StageOverrides sr = new StageOverrides(2, null, null);
        StageOverrides up = new StageOverrides(3, null, null);
        JobParams p = new JobParams("p", "", 1, 1024, s1, sr, up);
        assertEquals(s1, p.overrides(Stage.STAGE1));
        assertEquals(sr, p.overrides(Stage.SR));
        assertEquals(up, p.overrides(Stage.UPSCALE));
        assertEquals(StageOverrides.NONE, p.overrides(Stage.ENCODE));
    }

    @Test
    void overridesFallBackToThePackDefaults() {
        assertEquals(100, StageOverrides.NONE.stepsOr(100));
        assertEquals(7.0f, StageOverrides.NONE.guidanceOr(7.0));
        assertEquals(250, StageOverrides.NONE.noiseLevelOr(250));
        StageOverrides set = new StageOverrides(5, 3.5, 20);
        assertEquals(5, set.stepsOr(100));
        assertEquals(3.5f, set.guidanceOr(7.0));
        assertEquals(20, set.noiseLevelOr(250));
    }
}
