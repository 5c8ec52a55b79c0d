package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A fake model for sampler tests: records what each call received and answers with a given function. */
final class RecordingDenoiser implements Denoiser {

    /** A copy of one input array, taken during the call (the sampler closes the originals afterwards). */
    record Seen(Shape shape, DataType type, float[] floats, long[] longs) {}

    private final Function<NDList, NDArray> answer;
    final List<List<Seen>> calls = new ArrayList<>();

    RecordingDenoiser(Function<NDList, NDArray> answer) {
        this.answer = answer;
    }

    @Override
    public NDArray predict(NDList inputs) {
        List<Seen> seen = new ArrayList<>();
        for (NDArray a : inputs) {
            boolean integral = a.getDataType() == DataType.INT64;
            seen.add(new Seen(a.getShape(), a.getDataType(), integral ? null : a.toFloatArray(),
                    integral ? a.toLongArray() : null));
        }
        calls.add(seen);
        return answer.apply(inputs);
    }

    /** Zeros of the sample's spatial size with the given channel count and batch. */
    static Function<NDList, NDArray> zeros(int channels) {
        return in -> {
            Shape s = in.get(0).getShape();
            return in.get(0).getManager().zeros(new Shape(s.get(0), channels, s.get(2), s.get(3)));
        };
    }

    /**
     * Constant per branch: the uncond half (first B) answers uncondValue, the cond half condValue, in the first
     * epsChannels channels; any further channels (up to channels) are varianceValue.
     */
    static Function<NDList, NDArray> branches(int channels, int epsChannels, float uncondValue, float condValue,
            float varianceValue) {
        return in -> {
            Shape s = in.get(0).getShape();
            int b2 = (int) s.get(0);
            int hw = (int) (s.get(2) * s.get(3));
            float[] data = new float[b2 * channels * hw];
            for (int n = 0; n < b2; n++) {
                for (int c = 0; c < channels; c++) {
                    float v = c >= epsChannels ? varianceValue : n < b2 / 2 ? uncondValue : condValue;
                    java.util.Arrays.fill(data, (n * channels + c) * hw, (n * channels + c + 1) * hw, v);
                }
            }
            return in.get(0).getManager().create(data, new Shape(b2, channels, s.get(2), s.get(3)));
        };
    }

    /**
     * A sample-dependent fake IF UNet (stage I or II; only the first 3 sample channels are read): per image n of
     * the doubled batch, eps = scale * x + hiddenScale * hidden[n, 0, 0] + (cond half ? condShift : 0), then three
     * variance channels of value variance. Output (2B, 6, H, W).
     */
    static Function<NDList, NDArray> affine(float scale, float hiddenScale, float condShift, float variance) {
        return in -> {
            Shape s = in.get(0).getShape();
            int b2 = (int) s.get(0);
            int channels = (int) s.get(1);
            int hw = (int) (s.get(2) * s.get(3));
            float[] x = in.get(0).toFloatArray();
            float[] hidden = in.get(2).toFloatArray();
            int perHidden = hidden.length / b2;
            float[] out = new float[b2 * 6 * hw];
            for (int n = 0; n < b2; n++) {
                float shift = hiddenScale * hidden[n * perHidden] + (n >= b2 / 2 ? condShift : 0f);
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < hw; p++) {
                        out[(n * 6 + c) * hw + p] = scale * x[(n * channels + c) * hw + p] + shift;
                        out[(n * 6 + 3 + c) * hw + p] = variance;
                    }
                }
            }
            return in.get(0).getManager().create(out, new Shape(b2, 6, s.get(2), s.get(3)));
        };
    }
}
