package dev.iffleet.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
import dev.iffleet.core.worker.Blackout;
import dev.iffleet.core.worker.DeliveredImages;
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
import java.util.LinkedHashMap;
import java.util.Map;

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

    @Override
    protected Map<String, byte[]> run(StageContext ctx) {
        JobParams params = ctx.params();
        StageSpec spec = pack.stage(Stage.STAGE1);
        StageOverrides o = params.stage1();
        StageOverrides.Schedule s = o.schedule(spec.timesteps(), spec.steps());
        int[] timesteps = Timesteps.resolve(s.explicit(), s.name(), s.steps(), spec.scheduler().stepsOffset());
        int batch = params.images();
        int width = params.width() != null ? params.width() : spec.width();
        int height = params.height() != null ? params.height() : spec.height();
        byte[] prompt = ctx.artifact(Stage.ENCODE, "prompt_emb");
        byte[] negative = ctx.artifact(Stage.ENCODE, "negative_emb");
        try (NDManager m = runtime.newJobManager()) {
            SampleStart start = start(m, ctx, params, o, width, height);
            NDArray image = sample(m, repeat(TensorCodec.decode(m, prompt), batch),
                    repeat(TensorCodec.decode(m, negative), batch), timesteps, o.guidanceOr(spec.guidanceScale()),
                    start, NoiseSource.perImage(params.seedsFor(Stage.STAGE1)), listener(ctx, o.previewEveryOr0()));
            boolean[] flagged = safety.flagged(image);
            image = Blackout.apply(image, flagged);
            Map<String, byte[]> out = new LinkedHashMap<>(
                    DeliveredImages.encode(ImageCodec.toImages(image), flagged, params.watermarked(), ctx));
            out.put(IMAGE, TensorCodec.encode(image, DataType.FLOAT32));
            return out;
        }
    }

    /** Reports each step; with {@code preview_every} k, also stores image 0's x0 estimate every k steps. */
    private StepListener listener(StageContext ctx, int every) {
        return new StepListener() {
            @Override
            public void onStep(int step, int total) {
                ctx.progress(step, total);
            }

            @Override
            public int previewEvery() {
                return every;
            }

            @Override
            public void preview(int step, int total, NDArray x0) {
                NDArray first = x0.get("0:1");
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
        };
    }

    /** Where sampling starts: pure noise, or the caller's image (and mask) at the stage-I size. */
    private static SampleStart start(NDManager m, StageContext ctx, JobParams params, StageOverrides o, int width,
            int height) {
        Mode mode = params.effectiveMode();
        if (mode == Mode.TEXT_TO_IMAGE) {
            return SampleStart.noise(height, width);
        }
        NDArray init = StageInputs.image(m, ctx.input("image"), width, height, params.images());
        if (mode == Mode.INPAINTING) {
            NDArray mask = StageInputs.mask(m, ctx.input("mask"), width, height, params.images());
            return SampleStart.inpaint(init, mask, o.strengthOr(1.0));
        }
        return SampleStart.img2img(init, o.strengthOr(0.7));
    }

    @Override
    protected void warmUp() {
        StageSpec spec = pack.stage(Stage.STAGE1);
        int dim = pack.stage(Stage.ENCODE).embeddingDim();
        try (NDManager m = runtime.newJobManager()) {
            NDArray emb = m.zeros(new Shape(1, 77, dim));
            NDArray image = sample(m, emb, emb, new int[] {999}, spec.guidanceScale().floatValue(),
                    SampleStart.noise(spec.height(), spec.width()), new NoiseSource(0), StepListener.NONE);
            safety.flagged(image);
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
