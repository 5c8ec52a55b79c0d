package dev.iffleet.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pack that models/tools/export_deepfloyd_if wrote from tiny random models of the real DeepFloyd IF / x4
 * classes ({@code models/fixtures/if-export-tiny}), run by the fleet's own runtime (DJL, libtorch 2.5.1): every
 * component must reproduce the outputs its Python module gave on the device for the stored inputs, and the
 * converted tokenizer.json files must give transformers' ids.
 */
class ExportedPackTest {

    /** The bound for a float32 export: max|python - java| / max|python|. */
    private static final double MAX_REL_ERROR = 1e-3;

    private static ModelPack pack;
    private static ModelRuntime runtime;

    @BeforeAll
    static void open() {
        pack = ModelPack.load(dir());
        runtime = ModelRuntime.open(pack, RuntimeSettings.cpu());
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    static Path dir() {
        String root = System.getProperty("iffleet.repo.root");
        return (root != null ? Path.of(root) : Path.of("..")).resolve("models/fixtures/if-export-tiny")
                .toAbsolutePath().normalize();
    }

    static JsonNode index() throws IOException {
        return Json.MAPPER.readTree(dir().resolve("reference/index.json").toFile());
    }

    static Stream<Arguments> componentCases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        index().get("components").properties().forEach(e -> {
            for (int i = 0; i < e.getValue().size(); i++) {
                cases.add(Arguments.of(e.getKey(), i, e.getValue().get(i)));
            }
        });
        return cases.stream();
    }

    static Stream<Arguments> tokenizerCases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        index().get("tokenizers").properties().forEach(e -> e.getValue()
                .forEach(entry -> cases.add(Arguments.of(e.getKey(), entry.get("text").asText(), entry))));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("componentCases")
    void componentReproducesThePythonModule(String component, int caseIndex, JsonNode entry) throws IOException {
        try (NDManager m = runtime.newJobManager()) {
            NDList inputs = new NDList();
            entry.get("inputs").forEach(spec -> inputs.add(read(m, spec)));
            NDArray expected = read(m, entry.get("output"));

            NDArray actual = runtime.component(component).call(inputs);

            assertEquals(expected.getShape(), actual.getShape());
            double err = actual.sub(expected).abs().max().getFloat() / expected.abs().max().getFloat();
            assertTrue(err <= MAX_REL_ERROR, component + " rel. error " + err);
        }
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @MethodSource("tokenizerCases")
    void tokenizerGivesTransformersIds(String tokenizer, String text, JsonNode entry) {
        TextTokenizer.Tokens tokens = runtime.tokenizer(tokenizer).encode(text);

        assertArrayEquals(longs(entry.get("ids")), tokens.ids(), text);
        assertArrayEquals(longs(entry.get("mask")), tokens.mask(), text);
    }

    @Test
    void packSettingsComeFromTheDownloadsSchedulerConfigs() {
        PackManifest.StageSpec stage1 = pack.stage(Stage.STAGE1);
        PackManifest.StageSpec sr = pack.stage(Stage.SR);
        PackManifest.StageSpec upscale = pack.stage(Stage.UPSCALE);
        assertEquals(1.5, stage1.scheduler().sampleMaxValue());
        assertEquals(1.0, sr.scheduler().sampleMaxValue());
        assertEquals("learned_range", sr.scheduler().varianceType());
        assertEquals("squaredcos_cap_v2", sr.noisingScheduler().betaSchedule());
        assertEquals("v_prediction", upscale.scheduler().predictionType());
        assertEquals(1, upscale.scheduler().stepsOffset());
        assertEquals("scaled_linear", upscale.noisingScheduler().betaSchedule());
        assertEquals(0.08333, upscale.vaeScaleFactor());
        assertEquals(List.of(100, 50, 75), List.of(stage1.steps(), sr.steps(), upscale.steps()));
        assertEquals(List.of(7.0, 4.0, 9.0), List.of(stage1.guidanceScale(), sr.guidanceScale(), upscale.guidanceScale()));
        assertEquals(List.of(250, 20), List.of(sr.noiseLevel(), upscale.noiseLevel()));
        assertEquals(List.of(64, 256, 1024), List.of(stage1.width(), sr.width(), upscale.width()));
        // SD 2's CLIP tokenizer pads with "!" (id 0), unlike SD 1's <|endoftext|>
        assertEquals(0L, pack.tokenizer("clip").padId());
        assertEquals(0L, pack.tokenizer("t5").padId());
    }

    private static NDArray read(NDManager m, JsonNode spec) {
        Shape shape = new Shape(longs(spec.get("shape")));
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Files.readAllBytes(dir().resolve("reference").resolve(spec.get("file").asText())))
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if ("int64".equals(spec.get("dtype").asText())) {
            long[] v = new long[bytes.remaining() / 8];
            bytes.asLongBuffer().get(v);
            return m.create(v, shape);
        }
        float[] v = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(v);
        return m.create(v, shape);
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
