package dev.iffleet.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.queue.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON wire form of the messages every service exchanges. */
class MessageJsonTest {

    private static final JobParams PARAMS = new JobParams("a red circle", "blurry", 42, 256,
            new StageOverrides(4, 7.5, null), new StageOverrides(3, 4.0, 250), StageOverrides.NONE);

    private static final StageMessage MESSAGE = new StageMessage("job-1", Stage.SR, 2,
            Map.of("encode.prompt_emb", "job:job-1:encode:prompt_emb", "stage1.image", "job:job-1:stage1:image"),
            PARAMS, 1_700_000_000_123L);

    @Test
    void stageMessageSurvivesARoundTrip() {
        assertEquals(MESSAGE, Json.read(Json.write(MESSAGE), StageMessage.class));
    }

    @Test
    void stageMessageUsesSnakeCaseFieldsAndStageIds() throws Exception {
        JsonNode tree = Json.MAPPER.readTree(Json.write(MESSAGE));
        assertEquals("job-1", tree.get("job_id").asText());
        assertEquals("sr", tree.get("stage").asText());
        assertEquals(2, tree.get("attempt").asInt());
        assertEquals(1_700_000_000_123L, tree.get("enqueued_at").asLong());
        assertEquals("job:job-1:stage1:image", tree.get("artifacts").get("stage1.image").asText());
        assertFalse(tree.has("jobId"));
        assertFalse(tree.has("enqueuedAt"));
    }

    @Test
    void jobParamsUseSnakeCaseFieldsOnTheWire() throws Exception {
        JsonNode tree = Json.MAPPER.readTree(Json.write(PARAMS));
        assertEquals("blurry", tree.get("negative_prompt").asText());
        assertEquals(256, tree.get("output_size").asInt());
        assertEquals(42, tree.get("seed").asLong());
        assertEquals(7.5, tree.get("stage1").get("guidance_scale").asDouble());
        assertEquals(250, tree.get("sr").get("noise_level").asInt());
        assertFalse(tree.get("stage1").has("noise_level"), "unset overrides are left out");
    }

    @Test
    void jobParamsSurviveARoundTrip() {
        assertEquals(PARAMS, Json.read(Json.write(PARAMS), JobParams.class));
    }

    @Test
    void jobParamsReadFromSnakeCaseJsonWithDefaults() {
        JobParams p = Json.read("{\"prompt\":\"p\",\"seed\":7,\"output_size\":64,"
                + "\"stage1\":{\"steps\":5,\"guidance_scale\":6.0}}", JobParams.class);
        assertEquals(new JobParams("p", "", 7, 64, new StageOverrides(5, 6.0, null), null, null), p);
        assertEquals(StageOverrides.NONE, p.sr());
    }

    @Test
    void jobEventTypeIsWrittenAsDottedId() throws Exception {
        JobEvent e = JobEvent.of("job-1", Stage.STAGE1, JobEvent.Type.STAGE_STARTED, 99);
        JsonNode tree = Json.MAPPER.readTree(Json.write(e));
        assertEquals("stage.started", tree.get("type").asText());
        assertEquals("stage1", tree.get("stage").asText());
        assertEquals("job-1", tree.get("job_id").asText());
        assertFalse(tree.has("step"), "null fields are left out");
    }

    @Test
    void everyJobEventTypeHasItsWireId() {
        assertEquals("stage.started", JobEvent.Type.STAGE_STARTED.id());
        assertEquals("progress", JobEvent.Type.PROGRESS.id());
        assertEquals("stage.completed", JobEvent.Type.STAGE_COMPLETED.id());
        assertEquals("succeeded", JobEvent.Type.SUCCEEDED.id());
        assertEquals("failed", JobEvent.Type.FAILED.id());
    }

    @Test
    void progressEventSurvivesARoundTripWithTotalSteps() throws Exception {
        JobEvent e = JobEvent.progress("job-2", Stage.UPSCALE, 3, 75, 1234);
        String json = Json.write(e);
        assertEquals(75, Json.MAPPER.readTree(json).get("total_steps").asInt());
        assertEquals(e, Json.read(json, JobEvent.class));
    }

    @Test
    void failedEventSurvivesARoundTrip() {
        JobEvent e = JobEvent.failed("job-3", Stage.SR, "sr: boom", 5);
        assertEquals(e, Json.read(Json.write(e), JobEvent.class));
    }

    @Test
    void jobStateIsWrittenLowerCase() {
        assertEquals("\"succeeded\"", Json.write(JobState.SUCCEEDED));
        assertEquals(JobState.FAILED, Json.read("\"failed\"", JobState.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "", "null", "[1, 2]", "{\"job_id\":\"j\",\"stage\":\"stage9\"}",
            "{\"job_id\":\"j\",\"attempt\":\"many\"}"})
    void malformedStageMessageIsAnIllegalArgument(String json) {
        assertThrows(IllegalArgumentException.class, () -> Json.read(json, StageMessage.class));
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        StageMessage m = Json.read("{\"job_id\":\"j\",\"stage\":\"encode\",\"attempt\":1,\"new_field\":true}",
                StageMessage.class);
        assertEquals("j", m.jobId());
        assertEquals(Map.of(), m.artifacts());
    }
}
