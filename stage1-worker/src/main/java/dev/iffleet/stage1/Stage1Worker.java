package dev.iffleet.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.image.Watermark;
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
import dev.iffleet.diffusion.image.ImageCodec;
import dev.iffleet.diffusion.sampler.SampleStart;
import dev.iffleet.diffusion.sampler.Stage1Sampler;
import dev.iffleet.diffusion.sampler.StepListener;
import dev.iffleet.diffusion.schedule.Timesteps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * Stage I: 64px pixel-space diffusion with classifier-free guidance, from the encoder's embeddings: from noise
 * (text-to-image), from the noised input image (image variation) or inside the mask only (inpainting), for a batch
 * of num_images with one seed each.
 */
@Singleton
public class Stage1Worker extends StageWorker {

    public static final String IMAGE = Outputs.IMAGE;
    public static final String PNG = Outputs.png(0);

    private final ModelRuntime runtime;
    private final ModelPack pack;
    private final SafetyChecker safety;

    @Inject
    public Stage1Worker(Collaborators collaborators, ModelRuntime runtime, ModelPack pack) {
        super(Stage.STAGE1, collaborators);
        this.runtime = runtime;
        this.pack = pack;
        this.safety = new SafetyChecker(runtime);
    }

    /** Jobs share a UNet call when their schedule, guidance, size, mode, strength and preview rate agree. */
    @Override
    public Object batchKey(StageMessage msg) {
        JobParams params = msg.params();
        StageSpec spec = pack.stage(Stage.STAGE1);
        StageOverrides o = params.stage1();
        return List.of(Arrays.toString(timesteps(spec, o)), o.guidanceOr(spec.guidanceScale()), width(params, spec),
                height(params, spec), params.effectiveMode(), o.strengthOr(-1.0), o.previewEveryOr0());
    }

    @Override
    protected List<Produced> run(List<StageContext> batch) {
        JobParams first = batch.get(0).params();
        StageSpec spec = pack.stage(Stage.STAGE1);
        StageOverrides o = first.stage1();
        int width = width(first, spec);
        int height = height(first, spec);
        BatchRows rows = BatchRows.of(batch, ctx -> ctx.params().images())
                .withPreviews(o.previewEveryOr0(), this::preview);
        try (NDManager m = runtime.newJobManager()) {
            NDArray text = rows.concat(ctx -> repeat(TensorCodec.decode(m, ctx.artifact(Stage.ENCODE, "prompt_emb")),
                    ctx.params().images()));
            NDArray negative = rows.concat(ctx -> repeat(
                    TensorCodec.decode(m, ctx.artifact(Stage.ENCODE, "negative_emb")), ctx.params().images()));
            SampleStart start = start(m, rows, first, o, width, height);
            NDArray image = sample(m, text, negative, timesteps(spec, o), o.guidanceOr(spec.guidanceScale()), start,
                    NoiseSource.perImage(rows.seeds(ctx -> ctx.params().seedsFor(Stage.STAGE1))), rows);
            boolean[] flagged = safety.flagged(image);
            NDArray shown = Blackout.apply(image, flagged);
            return rows.delivered(shown, flagged, IMAGE);
        }
    }

    /** Stores a job's x0 preview: its first image, safety-checked and watermarked like the delivered ones. */
    private void preview(StageContext ctx, NDArray first, int step, int total) {
        boolean[] flagged = safety.flagged(first);
        BufferedImage img = flagged[0]
                ? new BufferedImage((int) first.getShape().get(3), (int) first.getShape().get(2),
                        BufferedImage.TYPE_INT_RGB)
                : ImageCodec.toImages(first).get(0);
        if (!flagged[0] && ctx.params().watermarked()) {
            Watermark.stamp(img);
        }
        ctx.preview(ImageCodec.png(img), step, total);
    }

    private static int[] timesteps(StageSpec spec, StageOverrides o) {
        StageOverrides.Schedule s = o.schedule(spec.timesteps(), spec.steps());
        return Timesteps.resolve(s.explicit(), s.name(), s.steps(), spec.scheduler().stepsOffset());
    }

    private static int width(JobParams params, StageSpec spec) {
        return params.width() != null ? params.width() : spec.width();
    }

    private static int height(JobParams params, StageSpec spec) {
        return params.height() != null ? params.height() : spec.height();
    }

    /** Where sampling starts: pure noise, or each job's image (and mask) at the stage-I size, in row order. */
    private static SampleStart start(NDManager m, BatchRows rows, JobParams first, StageOverrides o, int width,
            int height) {
        Mode mode = first.effectiveMode();
        if (mode == Mode.TEXT_TO_IMAGE) {
            return SampleStart.noise(height, width);
        }
        NDArray init = rows.concat(ctx -> StageInputs.image(m, ctx.input("image"), width, height, ctx.params().images()));
        if (mode == Mode.INPAINTING) {
            NDArray mask = rows.concat(ctx -> StageInputs.mask(m, ctx.input("mask"), width, height,
                    ctx.params().images()));
            return SampleStart.inpaint(init, mask, o.strengthOr(1.0));
        }
        return SampleStart.img2img(init, o.strengthOr(0.7));
    }

    /** Two UNet calls at every batch size up to maxBatch one-image jobs (TorchScript profiles each shape twice). */
    @Override
    protected void warmUp(int maxBatch) {
        StageSpec spec = pack.stage(Stage.STAGE1);
        int dim = pack.stage(Stage.ENCODE).embeddingDim();
        for (int n = 1; n <= maxBatch; n++) {
            try (NDManager m = runtime.newJobManager()) {
                NDArray emb = m.zeros(new Shape(n, 77, dim));
                NDArray image = sample(m, emb, emb, new int[] {999, 500}, spec.guidanceScale().floatValue(),
                        SampleStart.noise(spec.height(), spec.width()), new NoiseSource(0), StepListener.NONE);
                safety.flagged(image);
            }
        }
    }

    private NDArray sample(NDManager m, NDArray text, NDArray negative, int[] timesteps, float guidance,
            SampleStart start, NoiseSource noise, StepListener listener) {
        Component unet = runtime.component(pack.componentOf(Stage.STAGE1, "unet"));
        return Stage1Sampler.sample(m, text, negative, timesteps, guidance, start, noise, unet::call, listener);
    }

    private static NDArray repeat(NDArray emb, int batch) {
        return batch == 1 ? emb : emb.repeat(0, batch);
    }
}
