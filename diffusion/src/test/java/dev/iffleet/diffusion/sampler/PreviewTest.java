package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.Upsample;
import dev.iffleet.diffusion.schedule.DdpmScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PreviewTest {

    private static final int[] STEPS = {999, 800, 600, 400, 200, 0};
    private static final Function<NDList, NDArray> FAKE = RecordingDenoiser.affine(0.3f, 0.05f, 0.1f, 0.2f);

    /** Records the order of onStep ("s3") and preview ("p3") calls, with a copy of each previewed x0. */
    private static final class Events implements StepListener {
        final List<String> order = new ArrayList<>();
        final List<float[]> x0 = new ArrayList<>();
        final List<Shape> shapes = new ArrayList<>();
        private final int every;

        Events(int every) {
            this.every = every;
        }

        @Override
        public void onStep(int stepIndex, int totalSteps) {
            order.add("s" + stepIndex + "/" + totalSteps);
        }

        @Override
        public int previewEvery() {
            return every;
        }

        @Override
        public void preview(int stepIndex, int totalSteps, NDArray x0) {
            order.add("p" + stepIndex + "/" + totalSteps);
            this.x0.add(x0.toFloatArray());
            shapes.add(x0.getShape());
        }
    }

    private static NDArray stage1(NDManager m, RecordingDenoiser unet, StepListener l) {
        return Stage1Sampler.sample(m, m.ones(new Shape(2, 77, 8)), m.zeros(new Shape(2, 77, 8)), STEPS, 4f, 2, 3,
                new NoiseSource(6), unet, l);
    }

    @Test
    void stage1PreviewsEveryKthStepWithTheSchedulersPredictedX0BeforeItsProgress() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingDenoiser unet = new RecordingDenoiser(FAKE);
            Events events = new Events(2);
            stage1(m, unet, events);
            assertEquals(List.of("s1/6", "p2/6", "s2/6", "s3/6", "p4/6", "s4/6", "s5/6", "p6/6", "s6/6"),
                    events.order);

            Shape shape = new Shape(2, 3, 2, 3);
            NoiseSource replay = new NoiseSource(6);
            replay.gaussian(m, shape);
            DdpmScheduler scheduler = DdpmScheduler.stage1(STEPS);
            for (int i = 0; i < STEPS.length; i++) {
                NDArray x0 = Replay.step(m, unet.calls.get(i), FAKE, 4f, scheduler, STEPS[i],
                        replay.gaussian(m, shape)).predOriginalSample();
                if ((i + 1) % 2 == 0) {
                    assertEquals(shape, events.shapes.get(i / 2));
                    assertArrayEquals(x0.toFloatArray(), events.x0.get(i / 2), "x0 of step " + (i + 1));
                }
            }
        }
    }

    @Test
    void zeroMeansNeverAndNegativeIsRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            Events never = new Events(0);
            stage1(m, new RecordingDenoiser(FAKE), never);
            assertEquals(List.of("s1/6", "s2/6", "s3/6", "s4/6", "s5/6", "s6/6"), never.order);
            RecordingDenoiser unet = new RecordingDenoiser(FAKE);
            assertThrows(IllegalArgumentException.class, () -> stage1(m, unet, new Events(-1)));
            assertEquals(0, unet.calls.size());
        }
    }

    @Test
    void superResPreviewsItsX0AndTheUpscalerNever() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecordingDenoiser unet = new RecordingDenoiser(FAKE);
            Events events = new Events(4);
            NDArray low = m.arange(6f).reshape(1, 3, 1, 2).div(6f);
            SuperResSampler.sample(m, m.ones(new Shape(1, 77, 8)), m.zeros(new Shape(1, 77, 8)), low, STEPS, 4f,
                    250, 2, 4, new NoiseSource(3), unet, events);
            assertEquals(List.of("s1/6", "s2/6", "s3/6", "p4/6", "s4/6", "s5/6", "s6/6"), events.order);
            Shape shape = new Shape(1, 3, 2, 4);
            NoiseSource replay = new NoiseSource(3);
            replay.gaussian(m, shape);
            replay.gaussian(m, shape);
            DdpmScheduler scheduler = DdpmScheduler.stage2(STEPS);
            NDArray x0 = null;
            for (int i = 0; i < 4; i++) {
                x0 = Replay.step(m, unet.calls.get(i), FAKE, 4f, scheduler, STEPS[i], replay.gaussian(m, shape))
                        .predOriginalSample();
            }
            assertArrayEquals(x0.toFloatArray(), events.x0.get(0));

            Events upscale = new Events(1);
            Denoiser vae = in -> Upsample.bilinearAlignCorners(in.get(0).get(":, 0:3"), 4, 8);
            UpscaleSampler.sample(m, m.ones(new Shape(1, 77, 8)), m.zeros(new Shape(1, 77, 8)), low, 3, 9f, 20,
                    new NoiseSource(1), new RecordingDenoiser(RecordingDenoiser.zeros(4)), vae, 0.08333f, upscale);
            assertEquals(List.of("s1/3", "s2/3", "s3/3"), upscale.order);
        }
    }
}
