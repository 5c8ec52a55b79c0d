package dev.iffleet.upscale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.Outputs;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.model.Component;
import dev.iffleet.core.model.ModelPack;
import dev.iffleet.core.model.ModelRuntime;
import dev.iffleet.core.model.PackManifest.StageSpec;
import dev.iffleet.core.model.SafetyChecker;
import dev.iffleet.core.model.TextTokenizer;
import dev.iffleet.core.store.TensorCodec;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.worker.BatchRows;
import dev.iffleet.core.worker.Produced;
import dev.iffleet.core.worker.StageContext;
import dev.iffleet.core.worker.StageInputs;
import dev.iffleet.core.worker.StageWorker;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.sampler.StepListener;
import dev.iffleet.diffusion.sampler.UpscaleSampler;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The x4 stage: 256 to 1024 px with the x4 upscaler contract: its own CLIP-style text encoder on the
 * original prompt, a latent UNet fed the noised low-res image, and the VAE decoder. Writes the final PNG.
 */
@Singleton
public class UpscaleWorker extends StageWorker {

    public static final String PNG = Outputs.png(0);

    private final ModelRuntime runtime;
    private final ModelPack pack;
    private final SafetyChecker safety;

    @Inject
    public UpscaleWorker(Collaborators collaborators, ModelRuntime runtime, ModelPack pack) {
        super(Stage.UPSCALE, collaborators);
        this.runtime = runtime;
        this.pack = pack;
        this.safety = new SafetyChecker(runtime);
    }

    /** Jobs share the x4 UNet and VAE calls when their steps, guidance, noise level and sizes agree. */
    @Override
    public Object batchKey(StageMessage msg) {
        JobParams p = msg.params();
        StageOverrides o = p.upscale();
        StageSpec spec = spec();
        return List.of(o.stepsOr(spec.steps()), o.guidanceOr(spec.guidanceScale()), o.noiseLevelOr(spec.noiseLevel()),
                srSide(p.width(), true), srSide(p.height(), false), p.firstDiffusionStage() == Stage.UPSCALE);
    }

    @Override
    protected List<Produced> run(List<StageContext> batch) {
        JobParams params = batch.get(0).params();
        StageSpec spec = spec();
        StageOverrides o = params.upscale();
        BatchRows rows = BatchRows.of(batch, ctx -> ctx.params().images());
        try (NDManager m = runtime.newJobManager()) {
            NDArray lowRes = rows.concat(ctx -> ctx.params().firstDiffusionStage() == Stage.UPSCALE
                    ? StageInputs.image(m, ctx.input("image"), srSide(ctx.params().width(), true),
                            srSide(ctx.params().height(), false), ctx.params().images())
                    : TensorCodec.decode(m, ctx.artifact(Stage.SR, "image")));
            NDArray text = rows.concat(ctx -> repeat(encode(m, ctx.params().prompt()), ctx.params().images()));
            NDArray neg = rows.concat(ctx -> repeat(encode(m, ctx.params().negativePrompt()), ctx.params().images()));
            NDArray image = sample(m, text, neg, lowRes, o.stepsOr(spec.steps()), o.guidanceOr(spec.guidanceScale()),
                    o.noiseLevelOr(spec.noiseLevel()),
                    NoiseSource.perImage(rows.seeds(ctx -> ctx.params().seedsFor(Stage.UPSCALE))), rows);
            boolean[] flagged = safety.flagged(image);
            return rows.delivered(image, flagged, null);
        }
    }

    /** Side of the x4 stage's input: 4x the job's stage-I side (or the pack's stage-II default). */
    private int srSide(Integer stage1Side, boolean width) {
        StageSpec stage1 = pack.stage(Stage.STAGE1);
        StageSpec sr = pack.stage(Stage.SR);
        if (stage1Side == null) {
            return width ? sr.width() : sr.height();
        }
        return width ? stage1Side * sr.width() / stage1.width() : stage1Side * sr.height() / stage1.height();
    }

    /** Two UNet steps and the VAE at every batch size up to maxBatch one-image jobs. */
    @Override
    protected void warmUp(int maxBatch) {
        StageSpec sr = pack.stage(Stage.SR);
        for (int n = 1; n <= maxBatch; n++) {
            try (NDManager m = runtime.newJobManager()) {
                NDArray lowRes = m.zeros(new Shape(n, 3, sr.height(), sr.width()));
                NDArray text = repeat(encode(m, "warm-up"), n);
                NDArray image = sample(m, text, text, lowRes, 2, 1f, spec().noiseLevel(), new NoiseSource(0),
                        StepListener.NONE);
                safety.flagged(image);
            }
        }
    }

    private NDArray sample(NDManager m, NDArray text, NDArray neg, NDArray lowRes, int steps, float guidance,
            int noiseLevel, NoiseSource noise, StepListener listener) {
        StageSpec spec = spec();
        Component unet = runtime.component(pack.componentOf(Stage.UPSCALE, "unet"));
        Component vae = runtime.component(pack.componentOf(Stage.UPSCALE, "vae_decoder"));
        return UpscaleSampler.sample(m, text, neg, lowRes, steps, guidance, noiseLevel, noise, unet::call, vae::call,
                spec.vaeScaleFactor().floatValue(), listener);
    }

    /** The x4 stage's own text encoding (B=1, 77, Dc): it never sees the T5 embeddings. */
    private NDArray encode(NDManager m, String text) {
        TextTokenizer.Tokens t = runtime.tokenizer(spec().tokenizer()).encode(text);
        Component encoder = runtime.component(pack.componentOf(Stage.UPSCALE, "text_encoder"));
        return encoder.call(new NDList(m.create(t.ids(), new Shape(1, t.ids().length))));
    }

    private static NDArray repeat(NDArray emb, int batch) {
        return batch == 1 ? emb : emb.repeat(0, batch);
    }

    private StageSpec spec() {
        return pack.stage(Stage.UPSCALE);
    }
}
