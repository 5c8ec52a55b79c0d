package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.Upsample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerResourcesTest {

    @Test
    void stage1LeavesOnlyItsInputsAndResultInTheCallersManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray text = m.ones(new Shape(1, 77, 8));
            NDArray neg = m.zeros(new Shape(1, 77, 8));
            NDArray x = Stage1Sampler.sample(m, text, neg, new int[] {999, 500, 0}, 7f, 4, 4, new NoiseSource(1),
                    new RecordingDenoiser(RecordingDenoiser.branches(6, 3, 0.1f, 0.2f, 0f)), null);
            assertEquals(List.of(text, neg, x).size(), m.getManagedArrays().size());
        }
    }

    @Test
    void superResLeavesOnlyItsInputsAndResultInTheCallersManagerWithAndWithoutInpainting() {
        for (boolean inpaint : new boolean[] {false, true}) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray text = m.ones(new Shape(1, 77, 8));
                NDArray neg = m.zeros(new Shape(1, 77, 8));
                NDArray low = m.zeros(new Shape(1, 3, 4, 4));
                List<NDArray> inputs = new ArrayList<>(List.of(text, neg, low));
                SampleStart start = SampleStart.noise(8, 8);
                if (inpaint) {
                    inputs.add(m.full(new Shape(1, 3, 8, 8), 0.5f));
                    inputs.add(m.ones(new Shape(1, 1, 8, 8)));
                    start = SampleStart.inpaint(inputs.get(3), inputs.get(4), 1.0);
                }
                NDArray x = SuperResSampler.sample(m, text, neg, low, new int[] {999, 500, 0}, 4f, 250, start,
                        inpaint ? NoiseSource.perImage(1) : new NoiseSource(1),
                        new RecordingDenoiser(RecordingDenoiser.zeros(6)), null);
                assertEquals(inputs.size() + 1, m.getManagedArrays().size(), "inpaint=" + inpaint);
                assertSame(m, x.getManager());
            }
        }
    }

    @Test
    void upscaleLeavesOnlyItsInputsAndResultInTheCallersManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray text = m.ones(new Shape(1, 77, 8));
            NDArray neg = m.zeros(new Shape(1, 77, 8));
            NDArray low = m.zeros(new Shape(1, 3, 4, 4));
            Denoiser vae = in -> Upsample.bilinearAlignCorners(in.get(0).get(":, 0:3"), 16, 16);
            NDArray x = UpscaleSampler.sample(m, text, neg, low, 3, 9f, 20, new NoiseSource(1),
                    new RecordingDenoiser(RecordingDenoiser.zeros(4)), vae, 0.08333f, null);
            assertEquals(List.of(text, neg, low, x).size(), m.getManagedArrays().size());
        }
    }
}
