package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.diffusion.Golden;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.Upsample;
import dev.iffleet.diffusion.schedule.DdpmScheduler;
import dev.iffleet.diffusion.schedule.NoiseAugment;
import dev.iffleet.diffusion.schedule.NoiseSchedules;
import dev.iffleet.diffusion.schedule.Timesteps;
import java.util.Arrays;
import java.util.Collections;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class Img2ImgSamplerTest {

    private static final float[] SCHEDULE = NoiseSchedules.squaredcosCapV2();

    private static NDArray image(NDManager m, long batch, long h, long w) {
        return m.arange((float) (batch * 3 * h * w)).reshape(batch, 3, h, w).div(batch * 3 * h * w).sub(0.5f);
    }

    @Test
    void stage1RunsTheGoldenStrengthTailFromTheNoisedInitAndStepsWithTheScheduler() {
        JsonNode golden = Golden.load("strength.json").get("cases").get(0);
        int steps = golden.get("steps").asInt();
        double strength = golden.get("strength").asDouble();
        int[] expectedTs = Golden.ints(golden.get("timesteps"));
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, 3, 2, 3);
            NDArray init = image(m, 1, 2, 3);
            Function<NDList, NDArray> fake = RecordingDenoiser.affine(0.3f, 0.05f, 0.1f, 0.2f);
            RecordingDenoiser unet = new RecordingDenoiser(fake);
            ProgressRecorder progress = new ProgressRecorder();
            float[] out = Stage1Sampler.sample(m, m.ones(new Shape(1, 77, 8)), m.zeros(new Shape(1, 77, 8)),
                    Timesteps.leading(steps, 0), 6f, SampleStart.img2img(init, strength), new NoiseSource(4), unet,
                    progress).toFloatArray();

            assertEquals(expectedTs.length, unet.calls.size());
            assertEquals(Collections.nCopies(expectedTs.length, expectedTs.length), progress.totals);
            NoiseSource replay = new NoiseSource(4);
            float[] expected = NoiseAugment.addNoise(init, replay.gaussian(m, shape), expectedTs[0], SCHEDULE)
                    .toFloatArray();
            DdpmScheduler scheduler = DdpmScheduler.stage1(expectedTs);
            for (int i = 0; i < expectedTs.length; i++) {
                assertEquals(expectedTs[i], unet.calls.get(i).get(1).longs()[0], "timestep of call " + i);
                assertArrayEquals(expected, Replay.sample(m, unet.calls.get(i)).toFloatArray(), "sample " + i);
                expected = Replay.step(m, unet.calls.get(i), fake, 6f, scheduler, expectedTs[i],
                        replay.gaussian(m, shape)).prevSample().toFloatArray();
            }
            assertArrayEquals(expected, out);
        }
    }

    @Test
    void strengthThatRunsNoStepOrOutsideZeroToOneIsRejected() {
        JsonNode empty = Golden.load("strength.json").get("cases").get(4);
        assertEquals(0, empty.get("timesteps").size());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray init = image(m, 1, 2, 2);
            SampleStart tiny = SampleStart.img2img(init, empty.get("strength").asDouble());
            int[] all = Timesteps.leading(empty.get("steps").asInt(), 0);
            assertThrows(IllegalArgumentException.class, () -> tiny.timesteps(all));
            assertThrows(IllegalArgumentException.class, () -> Stage1Sampler.sample(m, m.ones(new Shape(1, 77, 8)),
                    m.zeros(new Shape(1, 77, 8)), all, 4f, tiny, new NoiseSource(1),
                    new RecordingDenoiser(RecordingDenoiser.zeros(6)), null));
            for (double bad : new double[] {0, -0.1, 1.01, Double.NaN}) {
                assertThrows(IllegalArgumentException.class, () -> SampleStart.img2img(init, bad), "" + bad);
            }
            assertThrows(IllegalArgumentException.class, () -> SampleStart.img2img(m.zeros(new Shape(1, 4, 2, 2)), 1));
        }
    }

    @Test
    void superResStartsFromTheNoisedOriginalAndConditionsOnTheNoisedUpscale() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape big = new Shape(1, 3, 4, 6);
            NDArray original = image(m, 1, 4, 6);
            NDArray low = image(m, 1, 2, 3).mul(-1f);
            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.zeros(6));
            NDArray out = SuperResSampler.sample(m, m.ones(new Shape(1, 77, 8)), m.zeros(new Shape(1, 77, 8)), low,
                    Timesteps.leading(10, 0), 4f, 250, SampleStart.img2img(original, 0.3), new NoiseSource(8), unet,
                    null);
            assertEquals(big, out.getShape());
            assertEquals(3, unet.calls.size());
            assertArrayEquals(new long[] {200, 200}, unet.calls.get(0).get(1).longs());

            NoiseSource replay = new NoiseSource(8);
            float[] start = NoiseAugment.addNoise(original, replay.gaussian(m, big), 200, SCHEDULE).toFloatArray();
            float[] cond = NoiseAugment.addNoise(Upsample.bilinearAlignCorners(low, 4, 6), replay.gaussian(m, big),
                    250, SCHEDULE).toFloatArray();
            float[] first = unet.calls.get(0).get(0).floats();
            assertEquals(new Shape(2, 6, 4, 6), unet.calls.get(0).get(0).shape());
            assertArrayEquals(start, Arrays.copyOfRange(first, 0, 72));
            assertArrayEquals(cond, Arrays.copyOfRange(first, 72, 144));
            assertArrayEquals(new long[] {250, 250}, unet.calls.get(0).get(3).longs());
        }
    }

    @Test
    void anInitBatchOfOneServesEveryImageWithItsOwnNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray init = image(m, 1, 2, 2);
            RecordingDenoiser unet = new RecordingDenoiser(RecordingDenoiser.zeros(6));
            NDArray out = Stage1Sampler.sample(m, m.ones(new Shape(2, 77, 8)), m.zeros(new Shape(2, 77, 8)),
                    new int[] {500, 0}, 4f, SampleStart.img2img(init, 1.0), new NoiseSource(2), unet, null);
            assertEquals(new Shape(2, 3, 2, 2), out.getShape());
            NDArray noise = new NoiseSource(2).gaussian(m, new Shape(2, 3, 2, 2));
            float[] start = NoiseAugment.addNoise(init, noise, 500, SCHEDULE).toFloatArray();
            assertArrayEquals(start, Arrays.copyOfRange(unet.calls.get(0).get(0).floats(), 0, 24));

            NDArray three = image(m, 3, 2, 2);
            assertThrows(IllegalArgumentException.class, () -> Stage1Sampler.sample(m, m.ones(new Shape(2, 77, 8)),
                    m.zeros(new Shape(2, 77, 8)), new int[] {500, 0}, 4f, SampleStart.img2img(three, 1.0),
                    new NoiseSource(2), unet, null));
        }
    }
}
