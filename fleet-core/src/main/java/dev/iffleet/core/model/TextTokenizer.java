package dev.iffleet.core.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.iffleet.core.model.PackManifest.TokenizerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A pack's local {@code tokenizer.json}, giving fixed-length ids and attention masks. Padding and
 * truncation are done here rather than by the library so the pad id comes from the manifest and the
 * closing special token (T5's {@code </s>}, CLIP's end token) survives truncation, as transformers does.
 */
public final class TextTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final long padId;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, long padId) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.padId = padId;
    }

    public static TextTokenizer load(ModelPack pack, String name) {
        TokenizerSpec spec = pack.tokenizer(name);
        Path file = pack.resolve(spec.file());
        try {
            // offline: never let the library look for a hub copy or a CUDA flavour of its native code
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "true"));
            return new TextTokenizer(t, spec.maxLength(), spec.padId());
        } catch (IOException | RuntimeException e) {
            throw new ModelUnavailableException("cannot load tokenizer '" + name + "' from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Token ids and mask of one text, both exactly {@code maxLength} long. */
    public Tokens encode(String text) {
        Encoding enc = tokenizer.encode(text);
        long[] raw = enc.getIds();
        int n = Math.min(raw.length, maxLength);
        long[] ids = new long[maxLength];
        long[] mask = new long[maxLength];
        Arrays.fill(ids, padId);
        System.arraycopy(raw, 0, ids, 0, n);
        if (raw.length > maxLength) {
            ids[maxLength - 1] = raw[raw.length - 1];
        }
        Arrays.fill(mask, 0, n, 1L);
        return new Tokens(ids, mask, raw.length > maxLength);
    }

    public int maxLength() {
        return maxLength;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** Fixed-length ids and mask; {@code truncated} tells that the text did not fit. */
    public record Tokens(long[] ids, long[] mask, boolean truncated) {}
}
