package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.Upsample;
import dev.iffleet.diffusion.schedule.NoiseAugment;
import dev.iffleet.diffusion.schedule.NoiseSchedules;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every sampler keeps height and width apart: landscape and portrait sizes go through unchanged. */
class NonSquareTest {

    private static NDArray text(NDManager m) {
        return m.ones(new Shape(1, 77, 8));
    }

    private static NDArray neg(NDManager m) {
        return m.zeros(new Shape(1, 77, 8));
    }

    @Test
    void stage1At64x96AndPortrait96x64() {
        for (int[] hw : new int[][] {{64, 96}, {96, 64}}) {
            try (NDManager m = NDManager.newBaseManager()) {
                RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.affine(0.3f, 0f, 0.1f, 0f));
                NDArray x = Stage1Sampler.sample(m, text(m), neg(m), new int[] {999, 0}, 4f, hw[0], hw[1],
                        new NoiseSource(1), unet, null);
                assertEquals(new Shape(1, 3, hw[0], hw[1]), x.getShape());
                assertEquals(new Shape(2, 3, hw[0], hw[1]), unet.calls.get(1).get(0).shape());
                float[] xT = new NoiseSource(1).gaussian(m, new Shape(1, 3, hw[0], hw[1])).toFloatArray();
                assertArrayEquals(xT, Arrays.copyOfRange(unet.calls.get(0).get(0).floats(), 0, xT.length));
            }
        }
    }

    @Test
    void superResFrom64x96To256x384ConditionsOnTheNonSquareUpscale() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray low = m.arange(3f * 64 * 96).reshape(1, 3, 64, 96).div(3f * 64 * 96).sub(0.5f);
            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.zeros(6));
            NDArray x = SuperResSampler.sample(m, text(m), neg(m), low, new int[] {999, 0}, 4f, 250, 256, 384,
                    new NoiseSource(2), unet, null);
            assertEquals(new Shape(1, 3, 256, 384), x.getShape());
            assertEquals(new Shape(2, 6, 256, 384), unet.calls.get(0).get(0).shape());

            Shape big = new Shape(1, 3, 256, 384);
            NoiseSource replay = new NoiseSource(2);
            replay.gaussian(m, big);
            float[] cond = NoiseAugment.addNoise(Upsample.bilinearAlignCorners(low, 256, 384),
                    replay.gaussian(m, big), 250, NoiseSchedules.squaredcosCapV2()).toFloatArray();
            int plane = 3 * 256 * 384;
            assertArrayEquals(cond, Arrays.copyOfRange(unet.calls.get(1).get(0).floats(), plane, 2 * plane));
        }
    }

    @Test
    void upscalerTakes16x24LatentsTo64x96() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray low = m.zeros(new Shape(1, 3, 16, 24));
            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.zeros(4));
            RecordingDenoiser vae = new RecordingDenoiser(in -> {
                Shape z = in.get(0).getShape();
                return Upsample.bilinearAlignCorners(in.get(0).get(":, 0:3"), (int) z.get(2) * 4,
                        (int) z.get(3) * 4);
            });
            NDArray x = UpscaleSampler.sample(m, text(m), neg(m), low, 2, 9f, 20, new NoiseSource(3), unet, vae,
                    0.08333f, null);
            assertEquals(new Shape(2, 7, 16, 24), unet.calls.get(0).get(0).shape());
            assertEquals(new Shape(1, 4, 16, 24), vae.calls.get(0).get(0).shape());
            assertEquals(new Shape(1, 3, 64, 96), x.getShape());
        }
    }
}
