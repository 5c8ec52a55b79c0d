package dev.iffleet.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
import dev.iffleet.diffusion.sampler.Stage1Sampler;
import dev.iffleet.diffusion.schedule.Timesteps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;

/** Stage I: 64px pixel-space diffusion with classifier-free guidance, from the encoder's embeddings. */
@Singleton
public class Stage1Worker extends StageWorker {

    public static final String IMAGE = "image";
    public static final String PNG = "png";

    private final ModelRuntime runtime;
    private final ModelPack pack;

    @Inject
    public Stage1Worker(Collaborators collaborators, ModelRuntime runtime, ModelPack pack) {
        super(Stage.STAGE1, collaborators);
        this.runtime = runtime;
        this.pack = pack;
    }

    @Override
    protected Map<String, byte[]> run(StageContext ctx) {
        byte[] prompt = ctx.artifact(Stage.ENCODE, "prompt_emb");
        byte[] negative = ctx.artifact(Stage.ENCODE, "negative_emb");
        JobParams params = ctx.params();
        StageSpec spec = pack.stage(Stage.STAGE1);
        StageOverrides o = params.stage1();
        int steps = o.stepsOr(spec.steps());
        try (NDManager m = runtime.newJobManager()) {
            NDArray image = sample(m, TensorCodec.decode(m, prompt), TensorCodec.decode(m, negative),
                    Timesteps.leading(steps, spec.scheduler().stepsOffset()), o.guidanceOr(spec.guidanceScale()),
                    new NoiseSource(params.seedFor(Stage.STAGE1)), ctx::progress);
            return Map.of(IMAGE, TensorCodec.encode(image, DataType.FLOAT32), PNG, ImageCodec.toPng(image));
        }
    }

    @Override
    protected void warmUp() {
        StageSpec spec = pack.stage(Stage.STAGE1);
        int dim = pack.stage(Stage.ENCODE).embeddingDim();
        try (NDManager m = runtime.newJobManager()) {
            NDArray emb = m.zeros(new ai.djl.ndarray.types.Shape(1, 77, dim));
            sample(m, emb, emb, new int[] {999}, spec.guidanceScale().floatValue(), new NoiseSource(0), StepListener.NONE);
        }
    }

    private NDArray sample(NDManager m, NDArray text, NDArray negative, int[] timesteps, float guidance,
            NoiseSource noise, StepListener listener) {
        StageSpec spec = pack.stage(Stage.STAGE1);
        Component unet = runtime.component(pack.componentOf(Stage.STAGE1, "unet"));
        return Stage1Sampler.sample(m, text, negative, timesteps, guidance, spec.height(), spec.width(), noise,
                unet::call, listener);
    }
}
