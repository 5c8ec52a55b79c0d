package dev.iffleet.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loading and calling the tiny pack's TorchScript components on the CPU. */
class ModelRuntimeTest {

    private static ModelPack pack;
    private static ModelRuntime runtime;

    @BeforeAll
    static void open() {
        pack = TinyPack.load();
        runtime = ModelRuntime.open(pack, RuntimeSettings.cpu());
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @Test
    void t5EncoderMapsABatchOfIdsToEmbeddings() {
        TextTokenizer t5 = runtime.tokenizer("t5");
        TextTokenizer.Tokens a = t5.encode("a red circle above a blue square");
        TextTokenizer.Tokens b = t5.encode("");
        long[] ids = new long[2 * 77];
        long[] mask = new long[2 * 77];
        System.arraycopy(a.ids(), 0, ids, 0, 77);
        System.arraycopy(b.ids(), 0, ids, 77, 77);
        System.arraycopy(a.mask(), 0, mask, 0, 77);
        System.arraycopy(b.mask(), 0, mask, 77, 77);
        try (NDManager m = runtime.newJobManager()) {
            NDArray out = runtime.component("t5_encoder")
                    .call(new NDList(m.create(ids, new Shape(2, 77)), m.create(mask, new Shape(2, 77))));
            assertEquals(new Shape(2, 77, 64), out.getShape());
            assertEquals(DataType.FLOAT32, out.getDataType());
            assertTrue(out.isInfinite().logicalOr(out.isNaN()).none().getBoolean(), "finite embeddings");
        }
    }

    @Test
    void callsFromShortLivedThreadsReuseOnePredictor() throws Exception {
        Component encoder = runtime.component("x4_text_encoder");
        for (int i = 0; i < 5; i++) {
            Thread t = new Thread(() -> {
                try (NDManager m = runtime.newJobManager()) {
                    encoder.call(new NDList(m.zeros(new Shape(1, 77), DataType.INT64)));
                }
            });
            t.start();
            t.join();
        }
        assertEquals(1, encoder.predictorCount());
    }

    @Test
    void componentIsLoadedOnce() {
        assertSame(runtime.component("vae_decoder"), runtime.component("vae_decoder"));
    }

    @Test
    void unknownComponentIsUnavailable() {
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> runtime.component("nope"));
        assertEquals("model pack 'tiny' has no component 'nope'", e.getMessage());
    }

    @Test
    void float16WithoutFloat16FilesIsUnavailable() {
        try (ModelRuntime half = ModelRuntime.open(pack, new RuntimeSettings("cpu", "float16", 0))) {
            ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
                    () -> half.component("t5_encoder"));
            assertTrue(e.getMessage().contains("has no float16 file for component 't5_encoder'"), e.getMessage());
        }
    }

    @Test
    void unknownTokenizerIsUnavailable() {
        assertThrows(ModelUnavailableException.class, () -> runtime.tokenizer("bert"));
    }

    @Test
    void settingsRejectUnknownDeviceAndDtype() {
        assertThrows(IllegalArgumentException.class, () -> new RuntimeSettings("tpu", "float32", 0).djlDevice());
        assertThrows(IllegalArgumentException.class, () -> new RuntimeSettings("cpu", "int8", 0).djlDtype());
        assertEquals(DataType.FLOAT16, new RuntimeSettings("cpu", " Float16 ", 0).djlDtype());
    }
}
