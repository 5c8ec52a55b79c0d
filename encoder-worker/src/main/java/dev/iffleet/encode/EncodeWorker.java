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
import dev.iffleet.core.worker.InvalidJobException;
import dev.iffleet.core.worker.StageContext;
import dev.iffleet.core.worker.StageWorker;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes the prompt and the negative prompt with the pack's T5-style encoder, in one batch of two, and
 * stores both embeddings as float16 tensors (1, 77, D).
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

    @Override
    protected Map<String, byte[]> run(StageContext ctx) {
        if (ctx.params().prompt() == null) {
            throw new InvalidJobException("job has no prompt");
        }
        if (ctx.params().firstDiffusionStage() == Stage.UPSCALE) {
            // the x4 stage encodes the prompt with its own text encoder: nothing to do but route the job on
            ctx.progress(1, 1);
            return Map.of();
        }
        boolean clean = ctx.params().cleansCaption();
        try (NDManager m = runtime.newJobManager()) {
            NDArray both = encode(m, preprocess(ctx.params().prompt(), clean), preprocess(ctx.params().negativePrompt(), clean));
            ctx.progress(1, 1);
            return Map.of(
                    PROMPT, TensorCodec.encode(both.get("0:1"), DataType.FLOAT16),
                    NEGATIVE, TensorCodec.encode(both.get("1:2"), DataType.FLOAT16));
        }
    }

    @Override
    protected void warmUp() {
        try (NDManager m = runtime.newJobManager()) {
            encode(m, "warm-up", "");
        }
    }

    /**
     * IF's text preprocessing of prompt and negative prompt alike: the reference caption cleaning when
     * {@code clean_caption} is on, else lower case and stripped.
     */
    static String preprocess(String text, boolean clean) {
        return clean ? CaptionCleaner.clean(text) : text.toLowerCase(Locale.ROOT).strip();
    }

    /** (2, 77, D): row 0 the prompt, row 1 the negative prompt. */
    NDArray encode(NDManager m, String prompt, String negative) {
        TextTokenizer tok = runtime.tokenizer(pack.stage(Stage.ENCODE).tokenizer());
        TextTokenizer.Tokens a = tok.encode(prompt);
        TextTokenizer.Tokens b = tok.encode(negative);
        int len = tok.maxLength();
        long[] ids = new long[2 * len];
        long[] mask = new long[2 * len];
        System.arraycopy(a.ids(), 0, ids, 0, len);
        System.arraycopy(b.ids(), 0, ids, len, len);
        System.arraycopy(a.mask(), 0, mask, 0, len);
        System.arraycopy(b.mask(), 0, mask, len, len);
        Shape shape = new Shape(2, len);
        Component encoder = runtime.component(pack.componentOf(Stage.ENCODE, "encoder"));
        return encoder.call(new NDList(m.create(ids, shape), m.create(mask, shape)));
    }

}
