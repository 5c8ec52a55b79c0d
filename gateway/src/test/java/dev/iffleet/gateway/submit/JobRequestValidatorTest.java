package dev.iffleet.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.StageOverrides;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The request body rules of {@code POST /v1/jobs}: defaults, and a 400 naming the field for every bad input. */
class JobRequestValidatorTest {

    private final JobRequestValidator validator = new JobRequestValidator();

    @Test
    void minimalBodyGetsDefaults() {
        JobParams p = validator.validate("{\"prompt\":\"a red circle\"}");

        assertEquals("a red circle", p.prompt());
        assertEquals("", p.negativePrompt());
        assertEquals(1024, p.outputSize());
        assertEquals(StageOverrides.NONE, p.stage1());
        assertEquals(StageOverrides.NONE, p.sr());
        assertEquals(StageOverrides.NONE, p.upscale());
    }

    @Test
    void missingSeedIsDrawnNonNegativeAndExactInJavaScript() {
        for (int i = 0; i < 200; i++) {
            long seed = validator.validate("{\"prompt\":\"x\"}").seed();
            assertTrue(seed >= 0 && seed <= JobRequestValidator.MAX_DRAWN_SEED, "seed " + seed);
        }
        assertNotEquals(validator.validate("{\"prompt\":\"x\"}").seed(), validator.validate("{\"prompt\":\"x\"}").seed());
    }

    @Test
    void givenValuesAreKept() {
        JobParams p = validator.validate("""
                {"prompt":"p","negative_prompt":"blurry","seed":9007199254740993,"output_size":256,
                 "stage1":{"steps":20,"guidance_scale":7.5},"sr":{"noise_level":250},
                 "upscale":{"steps":1000,"guidance_scale":0,"noise_level":350}}""");

        assertEquals("blurry", p.negativePrompt());
        assertEquals(9007199254740993L, p.seed());
        assertEquals(256, p.outputSize());
        assertEquals(new StageOverrides(20, 7.5, null), p.stage1());
        assertEquals(new StageOverrides(null, null, 250), p.sr());
        assertEquals(new StageOverrides(1000, 0.0, 350), p.upscale());
    }

    @Test
    void seedZeroAndNullOutputSizeAreAccepted() {
        JobParams p = validator.validate("{\"prompt\":\"p\",\"seed\":0,\"output_size\":null}");

        assertEquals(0, p.seed());
        assertEquals(1024, p.outputSize());
    }

    @Test
    void promptOfExactlyTheLimitIsAccepted() {
        String prompt = "a".repeat(JobRequestValidator.MAX_PROMPT_CHARS);
        assertEquals(prompt, validator.validate("{\"prompt\":\"" + prompt + "\"}").prompt());
    }

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', value = {
        "{}                                                 | prompt",
        "{\"prompt\":null}                                  | prompt",
        "{\"prompt\":\"\"}                                  | prompt",
        "{\"prompt\":\"  \\t \"}                            | prompt",
        "{\"prompt\":\"p\",\"output_size\":512}             | output_size",
        "{\"prompt\":\"p\",\"output_size\":0}               | output_size",
        "{\"prompt\":\"p\",\"colour\":\"red\"}              | colour",
        "{\"prompt\":\"p\",\"sr\":{\"foo\":1}}              | sr.foo",
        "{\"prompt\":\"p\",\"stage1\":{\"steps\":\"ten\"}}  | stage1.steps",
        "{\"prompt\":\"p\",\"stage1\":{\"steps\":\"10\"}}   | stage1.steps",
        "{\"prompt\":\"p\",\"stage1\":{\"steps\":10.5}}     | stage1.steps",
        "{\"prompt\":\"p\",\"stage1\":{\"steps\":0}}        | stage1.steps",
        "{\"prompt\":\"p\",\"sr\":{\"steps\":1001}}         | sr.steps",
        "{\"prompt\":\"p\",\"stage1\":{\"guidance_scale\":-1}}   | stage1.guidance_scale",
        "{\"prompt\":\"p\",\"upscale\":{\"guidance_scale\":51}}  | upscale.guidance_scale",
        "{\"prompt\":\"p\",\"sr\":{\"guidance_scale\":\"NaN\"}}  | sr.guidance_scale",
        "{\"prompt\":\"p\",\"stage1\":{\"noise_level\":0}}   | stage1.noise_level",
        "{\"prompt\":\"p\",\"sr\":{\"noise_level\":1001}}   | sr.noise_level",
        "{\"prompt\":\"p\",\"sr\":{\"noise_level\":-1}}     | sr.noise_level",
        "{\"prompt\":\"p\",\"upscale\":{\"noise_level\":351}}  | upscale.noise_level",
        "{\"prompt\":\"p\",\"seed\":-1}                     | seed",
        "{\"prompt\":\"p\",\"seed\":1e3}                    | seed",
        "{\"prompt\":\"p\",\"seed\":99999999999999999999}   | seed",
        "{\"prompt\":42}                                    | prompt",
        "{\"prompt\":true}                                  | prompt",
        "{\"prompt\":\"p\",\"sr\":5}                        | sr",
        "{\"prompt\":\"p\",\"stage1\":{\"steps\":null}, \"upscale\":[]} | upscale",
    })
    void invalidFieldIsNamed(String body, String field) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> validator.validate(body));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void tooLongPromptsAreRefused() {
        String tooLong = "a".repeat(JobRequestValidator.MAX_PROMPT_CHARS + 1);

        assertEquals("prompt", refused("{\"prompt\":\"" + tooLong + "\"}").field());
        assertEquals("negative_prompt", refused("{\"prompt\":\"p\",\"negative_prompt\":\"" + tooLong + "\"}").field());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "", "   ", "null", "[]", "[{\"prompt\":\"p\"}]", "\"prompt\"", "42", "{\"prompt\":", "{prompt:\"p\"}",
        "{\"prompt\":\"p\",}", "{\"prompt\":\"p\"} {\"prompt\":\"q\"}", "{\"prompt\":\"p\"} trailing",
        "{\"prompt\":\"p\",\"sr\":{\"steps\":NaN}}",
    })
    void bodyThatIsNoJsonObjectNamesNoField(String body) {
        assertNull(refused(body).field());
    }

    @Test
    void nullBodyNamesNoField() {
        assertNull(refused(null).field());
    }

    @Test
    void duplicateFieldIsRefusedRatherThanLastOneWins() {
        assertThrows(InvalidRequestException.class, () -> validator.validate("{\"prompt\":\"a\",\"prompt\":\"b\"}"));
    }

    @Test
    void messageSaysWhatIsWrong() {
        assertTrue(refused("{\"prompt\":\"p\",\"colour\":1}").getMessage().contains("colour"));
        assertTrue(refused("{\"prompt\":\"p\",\"sr\":{\"steps\":0}}").getMessage().contains("between 1 and 1000"));
    }

    private InvalidRequestException refused(String body) {
        return assertThrows(InvalidRequestException.class, () -> validator.validate(body));
    }

    @Test
    void webhookToLoopbackIsRefusedUnlessAllowListed() {
        String body = "{\"prompt\": \"x\", \"webhook\": \"http://127.0.0.1:9/hook\"}";
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> validator.check(body));
        assertEquals("webhook", e.field());
        JobRequestValidator open = new JobRequestValidator(Duration.ofDays(7), List.of("127.0.0.1"));
        assertEquals("http://127.0.0.1:9/hook",
                open.check(body).recordFields().get("webhook.url"));
    }

    @Test
    void webhookEventsFilterIsCheckedAndNeedsAWebhook() {
        JobRequestValidator open = new JobRequestValidator(Duration.ofDays(7), List.of("127.0.0.1"));
        assertEquals("start,completed", open.check(
                "{\"prompt\": \"x\", \"webhook\": \"http://127.0.0.1/h\", \"webhook_events_filter\": [\"start\", \"completed\"]}")
                .recordFields().get("webhook.events"));
        InvalidRequestException bad = assertThrows(InvalidRequestException.class, () -> open.check(
                "{\"prompt\": \"x\", \"webhook\": \"http://127.0.0.1/h\", \"webhook_events_filter\": [\"everything\"]}"));
        assertEquals("webhook_events_filter", bad.field());
        InvalidRequestException alone = assertThrows(InvalidRequestException.class,
                () -> open.check("{\"prompt\": \"x\", \"webhook_events_filter\": [\"start\"]}"));
        assertEquals("webhook_events_filter", alone.field());
    }

    @Test
    void noWebhookMeansNoRecordFields() {
        assertEquals(Map.of(), validator.check("{\"prompt\": \"x\"}").recordFields());
    }
}
