package dev.iffleet.sr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Mode;
import dev.iffleet.core.job.Outputs;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.model.Component;
import dev.iffleet.core.model.ModelPack;
import dev.iffleet.core.model.ModelRuntime;
import dev.iffleet.core.model.PackManifest.StageSpec;
import dev.iffleet.core.model.SafetyChecker;
import dev.iffleet.core.store.TensorCodec;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.worker.BatchRows;
import dev.iffleet.core.worker.Blackout;
import dev.iffleet.core.worker.Produced;
import dev.iffleet.core.worker.StageContext;
import dev.iffleet.core.worker.StageInputs;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.sampler.SampleStart;
import dev.iffleet.diffusion.sampler.StepListener;
import dev.iffleet.diffusion.sampler.SuperResSampler;
import dev.iffleet.diffusion.schedule.Timesteps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.List;

/**
 * Stage II: 4x super-resolution conditioned on the upsampled, noise-augmented low-res image (stage I's output, or
 * the caller's image for upscale-only jobs); image variation and inpainting start from the original image at the
 * target size as IF's super-resolution img2img/inpainting pipelines do.
 */
@Singleton
public class SrWorker extends StageWorker {

    public static final String IMAGE = Outputs.IMAGE;
    public static final String PNG = Outputs.png(0);

    private final ModelRuntime runtime;
    private final ModelPack pack;
    private final SafetyChecker safety;

    @Inject
    public SrWorker(Collaborators collaborators, ModelRuntime runtime, ModelPack pack) {
        super(Stage.SR, collaborators);
        this.runtime = runtime;
        this.pack = pack;
        this.safety = new SafetyChecker(runtime);
    }

    /** Jobs share a UNet call when their schedule, guidance, noise level, sizes, mode and strength agree. */
    @Override
    public Object batchKey(StageMessage msg) {
        JobParams p = msg.params();
        StageOverrides o = p.sr();
        StageSpec spec = pack.stage(Stage.SR);
        return List.of(Arrays.toString(timesteps(spec, o)), o.guidanceOr(spec.guidanceScale()),
                o.noiseLevelOr(spec.noiseLevel()), lowWidth(p), lowHeight(p), p.effectiveMode(), o.strengthOr(-1.0));
    }

    @Override
    protected List<Produced> run(List<StageContext> batch) {
        JobParams params = batch.get(0).params();
        StageSpec spec = pack.stage(Stage.SR);
        StageSpec stage1 = pack.stage(Stage.STAGE1);
        StageOverrides o = params.sr();
        int lowW = lowWidth(params);
        int lowH = lowHeight(params);
        int width = lowW * spec.width() / stage1.width();
        int height = lowH * spec.height() / stage1.height();
        Mode mode = params.effectiveMode();
        BatchRows rows = BatchRows.of(batch, ctx -> ctx.params().images());
        try (NDManager m = runtime.newJobManager()) {
            NDArray low = rows.concat(ctx -> mode == Mode.UPSCALE
                    ? StageInputs.image(m, ctx.input("image"), lowW, lowH, ctx.params().images())
                    : TensorCodec.decode(m, ctx.artifact(Stage.STAGE1, IMAGE)));
            SampleStart start = switch (mode) {
                case IMAGE_VARIATION -> SampleStart.img2img(rows.concat(ctx -> StageInputs.image(m, ctx.input("image"),
                        width, height, ctx.params().images())), o.strengthOr(0.8));
                case INPAINTING -> SampleStart.inpaint(
                        rows.concat(ctx -> StageInputs.image(m, ctx.input("image"), width, height, ctx.params().images())),
                        rows.concat(ctx -> StageInputs.mask(m, ctx.input("mask"), width, height, ctx.params().images())),
                        o.strengthOr(0.8));
                default -> SampleStart.noise(height, width);
            };
            NDArray text = rows.concat(ctx -> repeat(TensorCodec.decode(m, ctx.artifact(Stage.ENCODE, "prompt_emb")),
                    ctx.params().images()));
            NDArray negative = rows.concat(ctx -> repeat(
                    TensorCodec.decode(m, ctx.artifact(Stage.ENCODE, "negative_emb")), ctx.params().images()));
            NDArray image = sample(m, text, negative, low, timesteps(spec, o), o.guidanceOr(spec.guidanceScale()),
                    o.noiseLevelOr(spec.noiseLevel()), start,
                    NoiseSource.perImage(rows.seeds(ctx -> ctx.params().seedsFor(Stage.SR))), rows);
            boolean[] flagged = safety.flagged(image);
            NDArray shown = Blackout.apply(image, flagged);
            return rows.delivered(shown, flagged, IMAGE);
        }
    }

    private static int[] timesteps(StageSpec spec, StageOverrides o) {
        StageOverrides.Schedule s = o.schedule(spec.timesteps(), spec.steps());
        return Timesteps.resolve(s.explicit(), s.name(), s.steps(), spec.scheduler().stepsOffset());
    }

    private int lowWidth(JobParams p) {
        return p.width() != null ? p.width() : pack.stage(Stage.STAGE1).width();
    }

    private int lowHeight(JobParams p) {
        return p.height() != null ? p.height() : pack.stage(Stage.STAGE1).height();
    }

    /** Two UNet calls at every batch size up to maxBatch one-image jobs (TorchScript profiles each shape twice). */
    @Override
    protected void warmUp(int maxBatch) {
        StageSpec stage1 = pack.stage(Stage.STAGE1);
        StageSpec spec = pack.stage(Stage.SR);
        int dim = pack.stage(Stage.ENCODE).embeddingDim();
        for (int n = 1; n <= maxBatch; n++) {
            try (NDManager m = runtime.newJobManager()) {
                NDArray emb = m.zeros(new Shape(n, 77, dim));
                NDArray lowRes = m.zeros(new Shape(n, 3, stage1.height(), stage1.width()));
                NDArray image = sample(m, emb, emb, lowRes, new int[] {999, 500}, spec.guidanceScale().floatValue(),
                        spec.noiseLevel(), SampleStart.noise(spec.height(), spec.width()), new NoiseSource(0),
                        StepListener.NONE);
                safety.flagged(image);
            }
        }
    }

    private NDArray sample(NDManager m, NDArray text, NDArray negative, NDArray lowRes, int[] timesteps,
            float guidance, int noiseLevel, SampleStart start, NoiseSource noise, StepListener listener) {
        Component unet = runtime.component(pack.componentOf(Stage.SR, "unet"));
        return SuperResSampler.sample(m, text, negative, lowRes, timesteps, guidance, noiseLevel, start, noise,
                unet::call, listener);
    }

    private static NDArray repeat(NDArray emb, int batch) {
        return batch == 1 ? emb : emb.repeat(0, batch);
    }
}
