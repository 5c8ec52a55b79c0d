package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.iffleet.diffusion.schedule.DdpmScheduler;
import dev.iffleet.diffusion.schedule.StepResult;
import java.util.List;
import java.util.function.Function;

/** Recomputes, independently of the sampler's loop, what one DDPM step should give for a recorded UNet call. */
final class Replay {

    private Replay() {}

    /** The recorded inputs of one call as arrays in m. */
    static NDList inputs(NDManager m, List<RecordingDenoiser.Seen> call) {
        NDList list = new NDList();
        for (RecordingDenoiser.Seen s : call) {
            list.add(s.longs() != null ? m.create(s.longs(), s.shape()) : m.create(s.floats(), s.shape()));
        }
        return list;
    }

    /** x of that call: the first (uncond) half of the doubled sample, its first three channels. */
    static NDArray sample(NDManager m, List<RecordingDenoiser.Seen> call) {
        NDArray doubled = inputs(m, call).get(0);
        long batch = doubled.getShape().get(0) / 2;
        return doubled.get("0:{}, 0:3", batch);
    }

    /** scheduler.step(guided fake output, t, x, noise) for that call. */
    static StepResult step(NDManager m, List<RecordingDenoiser.Seen> call, Function<NDList, NDArray> fake,
            float guidance, DdpmScheduler scheduler, int t, NDArray noise) {
        NDArray guided = Guidance.learnedVariance(fake.apply(inputs(m, call)), guidance);
        return scheduler.step(guided, t, sample(m, call), noise);
    }
}
