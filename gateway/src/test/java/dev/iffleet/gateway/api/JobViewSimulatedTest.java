package dev.iffleet.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.queue.Json;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job run on the simulated model backend says so at the top of its view; a real one shows nothing of it. */
class JobViewSimulatedTest {

    private static Map<String, String> finishedJob() {
        JobParams params = new JobParams("a red circle", null, 1, 64, null, null, null);
        Map<String, String> h = new HashMap<>(JobRecord.newJobFields(params, 1000, Duration.ofHours(1)));
        h.put("state", "succeeded");
        h.put("stage1.started_at", "1100");
        h.put("stage1.finished_at", "1200");
        return h;
    }

    private static JsonNode view(Map<String, String> hash) {
        return Json.MAPPER.valueToTree(JobView.of(JobRecord.fromHash("j1", hash)));
    }

    @Test
    void simulatedStageMarksTheWholeJob() {
        Map<String, String> h = finishedJob();
        h.put("stage1.backend", "simulated");
        JsonNode v = view(h);
        assertTrue(v.path("simulated").asBoolean());
        assertEquals(JobView.SIMULATED_WARNING, v.path("warning").asText());
    }

    @Test
    void realJobHasNoSimulatedField() {
        JsonNode v = view(finishedJob());
        assertFalse(v.has("simulated"));
        assertFalse(v.has("warning"));
        Map<String, String> h = finishedJob();
        h.put("stage1.backend", "torchscript");
        assertNull(JobView.of(JobRecord.fromHash("j1", h)).simulated());
    }
}
