package dev.iffleet.sr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
import dev.iffleet.core.worker.Blackout;
import dev.iffleet.core.worker.DeliveredImages;
import dev.iffleet.core.worker.StageContext;
import dev.iffleet.core.worker.StageInputs;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.ImageCodec;
import dev.iffleet.diffusion.sampler.SampleStart;
import dev.iffleet.diffusion.sampler.StepListener;
import dev.iffleet.diffusion.sampler.SuperResSampler;
import dev.iffleet.diffusion.schedule.Timesteps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

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

    @Override
    protected Map<String, byte[]> run(StageContext ctx) {
        JobParams params = ctx.params();
        StageSpec spec = pack.stage(Stage.SR);
        StageSpec stage1 = pack.stage(Stage.STAGE1);
        StageOverrides o = params.sr();
        StageOverrides.Schedule s = o.schedule(spec.timesteps(), spec.steps());
        int[] timesteps = Timesteps.resolve(s.explicit(), s.name(), s.steps(), spec.scheduler().stepsOffset());
        int batch = params.images();
        int lowW = params.width() != null ? params.width() : stage1.width();
        int lowH = params.height() != null ? params.height() : stage1.height();
        int width = lowW * spec.width() / stage1.width();
        int height = lowH * spec.height() / stage1.height();
        byte[] prompt = ctx.artifact(Stage.ENCODE, "prompt_emb");
        byte[] negative = ctx.artifact(Stage.ENCODE, "negative_emb");
        Mode mode = params.effectiveMode();
        byte[] lowRes = mode == Mode.UPSCALE ? ctx.input("image") : ctx.artifact(Stage.STAGE1, IMAGE);
        try (NDManager m = runtime.newJobManager()) {
            NDArray low = mode == Mode.UPSCALE
                    ? StageInputs.image(m, lowRes, lowW, lowH, batch)
                    : TensorCodec.decode(m, lowRes);
            SampleStart start = switch (mode) {
                case IMAGE_VARIATION -> SampleStart.img2img(
                        StageInputs.image(m, ctx.input("image"), width, height, 1), o.strengthOr(0.8));
                case INPAINTING -> SampleStart.inpaint(StageInputs.image(m, ctx.input("image"), width, height, 1),
                        StageInputs.mask(m, ctx.input("mask"), width, height, 1), o.strengthOr(0.8));
                default -> SampleStart.noise(height, width);
            };
            NDArray image = sample(m, repeat(TensorCodec.decode(m, prompt), batch),
                    repeat(TensorCodec.decode(m, negative), batch), low, timesteps, o.guidanceOr(spec.guidanceScale()),
                    o.noiseLevelOr(spec.noiseLevel()), start, NoiseSource.perImage(params.seedsFor(Stage.SR)),
                    ctx::progress);
            boolean[] flagged = safety.flagged(image);
            image = Blackout.apply(image, flagged);
            Map<String, byte[]> out = new LinkedHashMap<>(
                    DeliveredImages.encode(ImageCodec.toImages(image), flagged, params.watermarked(), ctx));
            out.put(IMAGE, TensorCodec.encode(image, DataType.FLOAT32));
            return out;
        }
    }

    @Override
    protected void warmUp() {
        StageSpec stage1 = pack.stage(Stage.STAGE1);
        StageSpec spec = pack.stage(Stage.SR);
        int dim = pack.stage(Stage.ENCODE).embeddingDim();
        try (NDManager m = runtime.newJobManager()) {
            NDArray emb = m.zeros(new Shape(1, 77, dim));
            NDArray lowRes = m.zeros(new Shape(1, 3, stage1.height(), stage1.width()));
            NDArray image = sample(m, emb, emb, lowRes, new int[] {999}, 1f, spec.noiseLevel(),
                    SampleStart.noise(spec.height(), spec.width()), new NoiseSource(0), StepListener.NONE);
            safety.flagged(image);
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
