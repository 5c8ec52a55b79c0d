package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;

/**
 * Deterministic fake UNets whose output row n depends only on row n of every input (sample, timestep, hidden,
 * class label), never on n or the batch size: a batch of images then gives each image exactly what it gives
 * alone, which is what the cross-job batching tests need. Plain host float maths, so bit-reproducible.
 */
final class RowFake {

    private RowFake() {}

    /**
     * IF stage I/II: eps[n, c] = 0.3 * x[n, c] + 0.05 * hidden[n, 0, 0] - 0.02 * hidden[n, 0, 1] + 1e-4 * t[n]
     * (+ 0.1 * the low-res channel c for stage II's 6-channel input, + 1e-3 * label[n]), variance channels
     * 0.2 + 0.1 * hidden[n, 0, 0] - 0.5 (kept inside [-1, 1]). Output (N, 6, H, W).
     */
    static Function<NDList, NDArray> ifUnet() {
        return in -> answer(in, 6, 3);
    }

    /** x4 upscaler: v[n, c] as above on 4 latent channels (+ 0.1 * image channel c % 3). Output (N, 4, h, w). */
    static Function<NDList, NDArray> x4Unet() {
        return in -> answer(in, 4, 4);
    }

    private static NDArray answer(NDList in, int outChannels, int epsChannels) {
        Shape s = in.get(0).getShape();
        int n2 = (int) s.get(0);
        int channels = (int) s.get(1);
        int hw = (int) (s.get(2) * s.get(3));
        float[] x = in.get(0).toFloatArray();
        long[] t = in.get(1).toLongArray();
        float[] hidden = in.get(2).toFloatArray();
        long[] labels = in.size() > 3 ? in.get(3).toLongArray() : null;
        int perHidden = hidden.length / n2;
        float[] out = new float[n2 * outChannels * hw];
        for (int n = 0; n < n2; n++) {
            float h0 = hidden[n * perHidden];
            float h1 = hidden[n * perHidden + 1];
            float shift = 0.05f * h0 - 0.02f * h1 + 1e-4f * t[n] + (labels == null ? 0f : 1e-3f * labels[n]);
            for (int c = 0; c < outChannels; c++) {
                for (int p = 0; p < hw; p++) {
                    float v;
                    if (c < epsChannels) {
                        v = 0.3f * x[(n * channels + c) * hw + p] + shift;
                        int extra = epsChannels + c % 3;
                        if (channels > epsChannels && extra < channels) {
                            v += 0.1f * x[(n * channels + extra) * hw + p];
                        }
                    } else {
                        v = 0.2f + 0.1f * h0 - 0.5f;
                    }
                    out[(n * outChannels + c) * hw + p] = v;
                }
            }
        }
        return in.get(0).getManager().create(out, new Shape(n2, outChannels, s.get(2), s.get(3)));
    }
}
