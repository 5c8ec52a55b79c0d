package dev.iffleet.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a stage message hands artifacts on to the next stage. */
class StageMessageTest {

    private static final JobParams PARAMS = new JobParams("p", null, 1, 1024, null, null, null);

    @Test
    void firstMessageGoesToTheEncoderWithoutArtifacts() {
        StageMessage m = StageMessage.first("j", PARAMS, 10);
        assertEquals(new StageMessage("j", Stage.ENCODE, 1, Map.of(), PARAMS, 10), m);
    }

    @Test
    void nextCarriesEarlierArtifactsPlusThisStagesUnderItsId() {
        StageMessage stage1 = new StageMessage("j", Stage.STAGE1, 3,
                Map.of("encode.prompt_emb", "k1", "encode.negative_emb", "k2"), PARAMS, 10);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("image", "k3");
        StageMessage next = stage1.next(outputs, 20);
        assertEquals(new StageMessage("j", Stage.SR, 1,
                Map.of("encode.prompt_emb", "k1", "encode.negative_emb", "k2", "stage1.image", "k3"), PARAMS, 20), next);
    }

    @Test
    void artifactFindsAnEarlierStagesOutput() {
        StageMessage m = new StageMessage("j", Stage.SR, 1, Map.of("stage1.image", "k3"), PARAMS, 0);
        assertEquals("k3", m.artifact(Stage.STAGE1, "image"));
    }

    @Test
    void artifactThatWasNeverProducedIsRejected() {
        StageMessage m = new StageMessage("j", Stage.SR, 1, Map.of("stage1.image", "k3"), PARAMS, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.artifact(Stage.ENCODE, "image"));
        assertEquals("message for sr lacks artifact encode.image", e.getMessage());
    }

    @Test
    void lastStageHasNoNext() {
        StageMessage m = new StageMessage("j", Stage.UPSCALE, 1, Map.of(), PARAMS, 0);
        assertThrows(IllegalStateException.class, () -> m.next(Map.of("image", "k"), 1));
    }

    @Test
    void missingArtifactsBecomeAnEmptyMap() {
        assertEquals(Map.of(), new StageMessage("j", Stage.ENCODE, 1, null, PARAMS, 0).artifacts());
    }
}
