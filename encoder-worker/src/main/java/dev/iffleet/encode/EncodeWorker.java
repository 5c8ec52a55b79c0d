package dev.iffleet.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.model.Component;
import dev.iffleet.core.model.ModelPack;
import dev.iffleet.core.model.ModelRuntime;
import dev.iffleet.core.model.TextTokenizer;
import dev.iffleet.core.store.TensorCodec;
import dev.iffleet.core.text.CaptionCleaner;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.worker.InvalidJobException;
import dev.iffleet.core.worker.Produced;
import dev.iffleet.core.worker.StageContext;
import dev.iffleet.core.worker.StageWorker;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Encodes the prompt and the negative prompt with the pack's T5-style encoder, for every job of a batch in one
 * call (two rows per job), and stores both embeddings of each job as float16 tensors (1, 77, D).
 */
@Singleton
public class EncodeWorker extends StageWorker {

    public static final String PROMPT = "prompt_emb";
    public static final String NEGATIVE = "negative_emb";

    private final ModelRuntime runtime;
    private final ModelPack pack;

    @Inject
    public EncodeWorker(Collaborators collaborators, ModelRuntime runtime, ModelPack pack) {
        super(Stage.ENCODE, collaborators);
        this.runtime = runtime;
        this.pack = pack;
    }

    /** Every job that needs T5 can share its call; an upscale-only job skips it and goes alone. */
    @Override
    public Object batchKey(StageMessage msg) {
        return msg.params() != null && msg.params().firstDiffusionStage() == Stage.UPSCALE ? msg.jobId() : "t5";
    }

    @Override
    protected List<Produced> run(List<StageContext> batch) {
        List<String> texts = new ArrayList<>(2 * batch.size());
        for (StageContext ctx : batch) {
            if (ctx.params().prompt() == null) {
                throw new InvalidJobException("job has no prompt");
            }
            boolean clean = ctx.params().cleansCaption();
            texts.add(preprocess(ctx.params().prompt(), clean));
            texts.add(preprocess(ctx.params().negativePrompt(), clean));
        }
        if (batch.size() == 1 && batch.get(0).params().firstDiffusionStage() == Stage.UPSCALE) {
            // the x4 stage encodes the prompt with its own text encoder: nothing to do but route the job on
            batch.get(0).progress(1, 1);
            return List.of(new Produced());
        }
        try (NDManager m = runtime.newJobManager()) {
            NDArray all = encode(m, texts);
            List<Produced> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                StageContext ctx = batch.get(i);
                ctx.report(1, 1);
                out.add(ctx.canceled() ? null : new Produced()
                        .put(PROMPT, TensorCodec.encode(all.get((2 * i) + ":" + (2 * i + 1)), DataType.FLOAT16))
                        .put(NEGATIVE, TensorCodec.encode(all.get((2 * i + 1) + ":" + (2 * i + 2)), DataType.FLOAT16)));
            }
            return out;
        }
    }

    /** One T5 call at every batch size up to maxBatch jobs (two texts each: prompt and negative prompt). */
    @Override
    protected void warmUp(int maxBatch) {
        try (NDManager m = runtime.newJobManager()) {
            for (int n = 1; n <= maxBatch; n++) {
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    texts.add("warm-up");
                    texts.add("");
                }
                encode(m, texts);
                encode(m, texts);
            }
        }
    }

    /**
     * IF's text preprocessing of prompt and negative prompt alike: the reference caption cleaning when
     * {@code clean_caption} is on, else lower case and stripped.
     */
    static String preprocess(String text, boolean clean) {
        return clean ? CaptionCleaner.clean(text) : text.toLowerCase(Locale.ROOT).strip();
    }

    /** (N, 77, D): one row per text, in order (job i's prompt at 2i, its negative prompt at 2i + 1). */
    NDArray encode(NDManager m, List<String> texts) {
        TextTokenizer tok = runtime.tokenizer(pack.stage(Stage.ENCODE).tokenizer());
        int len = tok.maxLength();
        long[] ids = new long[texts.size() * len];
        long[] mask = new long[texts.size() * len];
        for (int i = 0; i < texts.size(); i++) {
            TextTokenizer.Tokens t = tok.encode(texts.get(i));
            System.arraycopy(t.ids(), 0, ids, i * len, len);
            System.arraycopy(t.mask(), 0, mask, i * len, len);
        }
        Shape shape = new Shape(texts.size(), len);
        Component encoder = runtime.component(pack.componentOf(Stage.ENCODE, "encoder"));
        return encoder.call(new NDList(m.create(ids, shape), m.create(mask, shape)));
    }

}
