package dev.iffleet.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulated backend: output shapes learnt from the real module, sleeps taken from the profile. */
class SimulatedBackendTest {

    private static ModelRuntime runtime;

    @BeforeAll
    static void open() {
        TreeMap<Integer, Double> fast = new TreeMap<>(Map.of(1, 1.0, 8, 2.0));
        Map<String, CostProfile.Curve> curves = new java.util.HashMap<>();
        TinyPack.load().manifest().components().keySet().forEach(c -> curves.put(c, new CostProfile.Curve(fast)));
        curves.put("vae_decoder", new CostProfile.Curve(new TreeMap<>(Map.of(1, 60.0, 2, 80.0))));
        runtime = ModelRuntime.open(TinyPack.load(), RuntimeSettings.cpu(),
                new SimulatedBackend(new CostProfile("test", curves)));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @Test
    void runtimeSaysItIsSimulated() {
        assertEquals("simulated", runtime.backend());
        assertTrue(runtime.simulated());
    }

    @Test
    void outputsHaveTheRealModulesShapeAndAreZeros() {
        try (NDManager m = runtime.newJobManager()) {
            NDList in = new NDList(m.zeros(new Shape(2, 77), DataType.INT64), m.ones(new Shape(2, 77), DataType.INT64));
            NDArray out = runtime.component("t5_encoder").call(in);
            assertEquals(new Shape(2, 77, 64), out.getShape());
            assertEquals(DataType.FLOAT32, out.getDataType());
            assertEquals(0f, out.abs().sum().getFloat());
            NDArray image = runtime.component("vae_decoder").call(new NDList(m.zeros(new Shape(1, 4, 16, 16))));
            assertEquals(new Shape(1, 3, 64, 64), image.getShape());
        }
    }

    @Test
    void sleepsAtLeastTheProfilesTimeForTheBatch() {
        try (NDManager m = runtime.newJobManager()) {
            Component vae = runtime.component("vae_decoder");
            vae.call(new NDList(m.zeros(new Shape(2, 4, 8, 8))));
            long t0 = System.nanoTime();
            vae.call(new NDList(m.zeros(new Shape(2, 4, 8, 8))));
            assertTrue(System.nanoTime() - t0 >= 80_000_000L, "slept the b2 figure, 80 ms");
        }
    }

    @Test
    void realModuleRunsOncePerSignatureAndNotPerBatchSize() {
        AtomicInteger loads = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        ComponentCall fake = new ComponentCall() {
            @Override
            public NDArray call(NDList inputs) {
                calls.incrementAndGet();
                Shape s = inputs.get(0).getShape();
                return inputs.get(0).getManager().ones(new Shape(s.get(0), 5));
            }

            @Override
            public int predictorCount() {
                return 1;
            }

            @Override
            public void close() {}
        };
        SimulatedCall sim = new SimulatedCall("fake", new CostProfile.Curve(new TreeMap<>(Map.of(1, 0.0))),
                () -> {
                    loads.incrementAndGet();
                    return fake;
                }, new ReentrantLock());
        try (NDManager m = runtime.newJobManager()) {
            assertEquals(new Shape(1, 5), sim.call(new NDList(m.zeros(new Shape(1, 3)))).getShape());
            assertEquals(new Shape(1, 5), sim.call(new NDList(m.zeros(new Shape(1, 3)))).getShape());
            assertEquals(new Shape(4, 5), sim.call(new NDList(m.zeros(new Shape(4, 3)))).getShape());
            assertEquals(1, calls.get(), "a new batch size reuses the learnt shape");
            sim.call(new NDList(m.zeros(new Shape(2, 7))));
            assertEquals(2, calls.get(), "a new trailing shape is learnt again");
            sim.call(new NDList(m.zeros(new Shape(2, 3), DataType.INT64)));
            assertEquals(3, calls.get(), "so is a new dtype");
            assertEquals(1, loads.get(), "the module is loaded once");
        }
    }

    @Test
    void batchIsTheCommonLeadingDimension() {
        try (NDManager m = runtime.newJobManager()) {
            assertEquals(4, SimulatedCall.batchOf(new NDList(m.zeros(new Shape(4, 3)), m.zeros(new Shape(4)))));
            assertEquals(-1, SimulatedCall.batchOf(new NDList(m.zeros(new Shape(4, 3)), m.zeros(new Shape(2)))));
            assertEquals(-1, SimulatedCall.batchOf(new NDList(m.create(1f))));
        }
    }

    @Test
    void aComponentTheProfileDoesNotPriceFailsAtStart() {
        CostProfile partial = new CostProfile("partial",
                Map.of("t5_encoder", new CostProfile.Curve(new TreeMap<>(Map.of(1, 1.0)))));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
                () -> ModelRuntime.open(TinyPack.load(), RuntimeSettings.cpu(), new SimulatedBackend(partial)));
        assertTrue(e.getMessage().contains("has no figures for component"), e.getMessage());
    }

    @Test
    void backendsAreChosenByName() {
        assertEquals("torchscript", ModelBackend.named("torchscript", Optional.empty()).name());
        assertTrue(assertThrows(ModelUnavailableException.class, () -> ModelBackend.named("simulated", Optional.empty()))
                .getMessage().contains("needs fleet.model.profile"));
        assertTrue(assertThrows(ModelUnavailableException.class, () -> ModelBackend.named("onnx", Optional.empty()))
                .getMessage().contains("unknown fleet.model.backend 'onnx'"));
    }
}
