package dev.iffleet.core.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.queue.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where each mode's job goes after the encoder, how its defaults fill in, and how the new knobs travel as JSON. */
class ModeRoutingTest {

    private static JobParams job(Mode mode, Stage start, int outputSize) {
        return new JobParams("p", "", 7, outputSize, null, null, null, null, mode, 2, 96, 64, start, null, null);
    }

    @Test
    void textAndImageModesRunEveryStageFromStage1() {
        JobParams p = job(Mode.IMAGE_VARIATION, null, 1024);

        assertEquals(Stage.STAGE1, p.stageAfter(Stage.ENCODE));
        assertEquals(Stage.SR, p.stageAfter(Stage.STAGE1));
        assertTrue(p.runs(Stage.STAGE1));
    }

    @Test
    void upscaleJobsSkipStage1AndMayStartAtTheX4Stage() {
        JobParams sr = job(Mode.UPSCALE, null, 256);
        JobParams x4 = job(Mode.UPSCALE, Stage.UPSCALE, 1024);

        assertEquals(Stage.SR, sr.stageAfter(Stage.ENCODE));
        assertFalse(sr.runs(Stage.STAGE1));
        assertFalse(sr.runs(Stage.UPSCALE));
        assertEquals(Stage.UPSCALE, x4.stageAfter(Stage.ENCODE));
        assertFalse(x4.runs(Stage.SR));
    }

    @Test
    void theEncodersMessageCarriesTheUploadsOnToTheFirstDiffusionStage() {
        JobParams p = job(Mode.UPSCALE, Stage.UPSCALE, 1024);
        StageMessage first = StageMessage.first("j", p, Map.of("image", "k:input:image"), 1);
        StageMessage next = first.next(Map.of(), 2);

        assertEquals(Stage.UPSCALE, next.stage());
        assertEquals("k:input:image", next.input("image"));
        assertFalse(next.hasInput("mask"));
        assertThrows(IllegalArgumentException.class, () -> next.input("mask"));
    }

    @Test
    void batchImagesHaveTheSeedsOfOneImageJobs() {
        JobParams batch = job(Mode.TEXT_TO_IMAGE, null, 64);
        JobParams single = new JobParams("p", "", 8, 64, null, null, null);

        assertEquals(single.seedFor(Stage.STAGE1), batch.seedsFor(Stage.STAGE1)[1]);
        assertEquals(2, batch.seedsFor(Stage.SR).length);
    }

    @Test
    void modeDefaultsFillOnlyTheGaps() {
        JobParams p = new JobParams("p", "", 1, 1024, new StageOverrides(null, 5.0, null), null, null, null,
                Mode.IMAGE_VARIATION, null, null, null, null, null, null);
        JobParams filled = ModeDefaults.apply(p);

        assertEquals(new StageOverrides(80, 5.0, null, 0.7, null), filled.stage1());
        assertEquals(ModeDefaults.IMG2IMG_SR, filled.sr());
        JobParams text = new JobParams("p", "", 1, 1024, p.stage1(), null, null);
        assertEquals(text, ModeDefaults.apply(text));
    }

    @Test
    void aScheduleReplacesTheDefaultStepCount() {
        StageOverrides own = new StageOverrides(null, null, null, null, TimestepSchedule.named("smart27"));

        assertEquals(null, own.orElse(ModeDefaults.INPAINT_STAGE1).steps());
        assertEquals(TimestepSchedule.named("smart27"), own.orElse(ModeDefaults.INPAINT_STAGE1).timesteps());
    }

    @Test
    void newKnobsRoundTripThroughJson() {
        JobParams p = new JobParams("p", "n", 3, 256, new StageOverrides(null, null, null, 0.5,
                TimestepSchedule.of(List.of(999, 10))), new StageOverrides(null, null, null, null,
                TimestepSchedule.named("SUPER27_timesteps")), null, 60L, Mode.INPAINTING, 2, 64, 96, null, false, false);
        String json = Json.write(p);

        assertTrue(json.contains("\"mode\":\"inpainting\""), json);
        assertTrue(json.contains("\"timesteps\":[999,10]"), json);
        assertTrue(json.contains("\"timesteps\":\"super27\""), json);
        assertEquals(p, Json.read(json, JobParams.class));
        assertArrayEquals(new int[] {999, 10}, p.stage1().timesteps().explicitArray());
    }

    @Test
    void badSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TimestepSchedule.named("smart28"));
        assertThrows(IllegalArgumentException.class, () -> TimestepSchedule.of(List.of(5, 10)));
        assertThrows(IllegalArgumentException.class, () -> TimestepSchedule.of(List.of(1000)));
        assertThrows(IllegalArgumentException.class, () -> TimestepSchedule.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> TimestepSchedule.fromJson(12));
    }
}
