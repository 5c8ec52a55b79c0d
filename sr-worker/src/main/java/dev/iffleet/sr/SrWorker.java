package dev.iffleet.sr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.model.Component;
import dev.iffleet.core.model.ModelPack;
import dev.iffleet.core.model.ModelRuntime;
import dev.iffleet.core.model.PackManifest.StageSpec;
import dev.iffleet.core.store.TensorCodec;
import dev.iffleet.core.worker.StageContext;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.ImageCodec;
import dev.iffleet.diffusion.sampler.StepListener;
import dev.iffleet.diffusion.sampler.SuperResSampler;
import dev.iffleet.diffusion.schedule.Timesteps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;

/** Stage II: 64 to 256 px super-resolution conditioned on the upsampled, noise-augmented stage-I image. */
@Singleton
public class SrWorker extends StageWorker {

    public static final String IMAGE = "image";
    public static final String PNG = "png";

    private final ModelRuntime runtime;
    private final ModelPack pack;

    @Inject
    public SrWorker(Collaborators collaborators, ModelRuntime runtime, ModelPack pack) {
        super(Stage.SR, collaborators);
        this.runtime = runtime;
        this.pack = pack;
    }

    @Override
    protected Map<String, byte[]> run(StageContext ctx) {
        byte[] prompt = ctx.artifact(Stage.ENCODE, "prompt_emb");
        byte[] negative = ctx.artifact(Stage.ENCODE, "negative_emb");
        byte[] lowRes = ctx.artifact(Stage.STAGE1, "image");
        JobParams params = ctx.params();
        StageSpec spec = pack.stage(Stage.SR);
        StageOverrides o = params.sr();
        try (NDManager m = runtime.newJobManager()) {
            NDArray image = sample(m, TensorCodec.decode(m, prompt), TensorCodec.decode(m, negative),
                    TensorCodec.decode(m, lowRes),
                    Timesteps.leading(o.stepsOr(spec.steps()), spec.scheduler().stepsOffset()),
                    o.guidanceOr(spec.guidanceScale()), o.noiseLevelOr(spec.noiseLevel()),
                    new NoiseSource(params.seedFor(Stage.SR)), ctx::progress);
            return Map.of(IMAGE, TensorCodec.encode(image, DataType.FLOAT32), PNG, ImageCodec.toPng(image));
        }
    }

    @Override
    protected void warmUp() {
        StageSpec stage1 = pack.stage(Stage.STAGE1);
        int dim = pack.stage(Stage.ENCODE).embeddingDim();
        try (NDManager m = runtime.newJobManager()) {
            NDArray emb = m.zeros(new Shape(1, 77, dim));
            NDArray lowRes = m.zeros(new Shape(1, 3, stage1.height(), stage1.width()));
            sample(m, emb, emb, lowRes, new int[] {999}, 1f, pack.stage(Stage.SR).noiseLevel(), new NoiseSource(0),
                    StepListener.NONE);
        }
    }

    private NDArray sample(NDManager m, NDArray text, NDArray negative, NDArray lowRes, int[] timesteps,
            float guidance, int noiseLevel, NoiseSource noise, StepListener listener) {
        StageSpec spec = pack.stage(Stage.SR);
        Component unet = runtime.component(pack.componentOf(Stage.SR, "unet"));
        return SuperResSampler.sample(m, text, negative, lowRes, timesteps, guidance, noiseLevel, spec.height(),
                spec.width(), noise, unet::call, listener);
    }
}
