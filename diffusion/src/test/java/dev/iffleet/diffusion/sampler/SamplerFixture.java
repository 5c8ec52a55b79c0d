package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.image.Upsample;
import dev.iffleet.diffusion.schedule.Timesteps;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Small, fully deterministic runs of the three samplers in every mode (guidance on/off, img2img, inpainting,
 * dynamic thresholding active at the early steps, per-image and single-stream noise, previews), reduced to a
 * SHA-256 of the exact float32 bits of the outputs and every preview. Used to pin today's CPU results bit for
 * bit (SamplerBitIdentityTest) and, by the batching tests, to build inputs.
 */
final class SamplerFixture {

    static final int[] STEPS = {999, 800, 600, 400, 200, 0};

    private SamplerFixture() {}

    /** Text embeddings (B, 77, 8) whose image i has hidden[i, 0, 0] = i + 1 and hidden[i, 0, 1] = -(i + 1) / 4. */
    static NDArray text(NDManager m, int from, int to) {
        int b = to - from;
        float[] data = new float[b * 77 * 8];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < 77 * 8; k++) {
                data[i * 77 * 8 + k] = (from + i + 1) * (k % 2 == 0 ? 1f : -0.25f) + 0.01f * (k % 5);
            }
        }
        return m.create(data, new Shape(b, 77, 8));
    }

    /** Negative embeddings: a constant, different for each image. */
    static NDArray neg(NDManager m, int from, int to) {
        return m.arange((float) from, (float) to).mul(0.1f).sub(0.3f).reshape(to - from, 1, 1).repeat(1, 77)
                .repeat(2, 8);
    }

    /** An image batch (B, C, H, W) in [-1, 1], different per image. */
    static NDArray image(NDManager m, int from, int to, int c, int h, int w) {
        int per = c * h * w;
        return m.arange((float) (from * per), (float) (to * per)).reshape(to - from, c, h, w).mul(0.37f).sin();
    }

    /** An inpainting mask (B, 1, H, W): a checkerboard shifted per image. */
    static NDArray mask(NDManager m, int from, int to, int h, int w) {
        float[] data = new float[(to - from) * h * w];
        for (int i = 0; i < to - from; i++) {
            for (int p = 0; p < h * w; p++) {
                data[i * h * w + p] = ((p + from + i) % 3 == 0) ? 0.2f : 0.9f;
            }
        }
        return m.create(data, new Shape(to - from, 1, h, w));
    }

    /** Collects previews (step, shape, floats) in order. */
    static final class Previews implements StepListener {
        final List<String> steps = new ArrayList<>();
        final List<float[]> x0 = new ArrayList<>();
        private final int every;

        Previews(int every) {
            this.every = every;
        }

        @Override
        public void onStep(int stepIndex, int totalSteps) {}

        @Override
        public int previewEvery() {
            return every;
        }

        @Override
        public void preview(int stepIndex, int totalSteps, NDArray x0) {
            steps.add(stepIndex + "/" + totalSteps + " " + x0.getShape());
            this.x0.add(x0.toFloatArray());
        }
    }

    /** Scenario name -> SHA-256 of (output shape, output bits, every preview's step, shape and bits). */
    static Map<String, String> hashes() {
        Map<String, String> out = new LinkedHashMap<>();
        Function<NDList, NDArray> fake = RowFake.ifUnet();
        for (float g : new float[] {4f, 1f}) {
            String tag = g > 1 ? "guided" : "unguided";
            for (String mode : new String[] {"noise", "img2img", "inpaint"}) {
                try (NDManager m = NDManager.newBaseManager()) {
                    Previews p = new Previews(2);
                    NDArray x = Stage1Sampler.sample(m, text(m, 0, 2), neg(m, 0, 2), STEPS, g,
                            start(m, mode, 2, 4, 6), NoiseSource.perImage(5, 6), new RecordingDenoiser(fake), p);
                    out.put("stage1/" + mode + "/" + tag, hash(x, p));
                }
                try (NDManager m = NDManager.newBaseManager()) {
                    Previews p = new Previews(3);
                    NDArray x = SuperResSampler.sample(m, text(m, 0, 2), neg(m, 0, 2), image(m, 0, 2, 3, 2, 3),
                            STEPS, g, 250, start(m, mode, 2, 4, 6), NoiseSource.perImage(8, 9),
                            new RecordingDenoiser(fake), p);
                    out.put("sr/" + mode + "/" + tag, hash(x, p));
                }
            }
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = UpscaleSampler.sample(m, text(m, 0, 2), neg(m, 0, 2), image(m, 0, 2, 3, 3, 2), 4,
                        g > 1 ? 9f : 1f, 20, NoiseSource.perImage(3, 4), new RecordingDenoiser(RowFake.x4Unet()),
                        vae(), 0.08333f, null);
                out.put("upscale/" + tag, hash(x, null));
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Previews p = new Previews(5);
            NDArray x = Stage1Sampler.sample(m, text(m, 0, 3), neg(m, 0, 3), Timesteps.named("fast27"), 7f, 3, 5,
                    new NoiseSource(42), new RecordingDenoiser(fake), p);
            out.put("stage1/fast27/single-stream", hash(x, p));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = SuperResSampler.sample(m, text(m, 0, 1), neg(m, 0, 1), image(m, 0, 1, 3, 2, 2),
                    Timesteps.named("smart27"), 4f, 100, SampleStart.img2img(image(m, 5, 6, 3, 4, 4), 0.6),
                    new NoiseSource(77), new RecordingDenoiser(fake), null);
            out.put("sr/smart27/img2img-batch1-init/single-stream", hash(x, null));
        }
        return out;
    }

    /** The fake x4 VAE: the first three latent channels, bilinearly enlarged x4, times 3 (so clamping shows). */
    static Denoiser vae() {
        return in -> {
            NDArray z = in.get(0);
            Shape s = z.getShape();
            return Upsample.bilinearAlignCorners(z.get(":, 0:3"), (int) s.get(2) * 4, (int) s.get(3) * 4).mul(3f);
        };
    }

    static SampleStart start(NDManager m, String mode, int batch, int h, int w) {
        return switch (mode) {
            case "noise" -> SampleStart.noise(h, w);
            case "img2img" -> SampleStart.img2img(image(m, 0, 1, 3, h, w), 0.7);
            default -> SampleStart.inpaint(image(m, 0, batch, 3, h, w), mask(m, 0, batch, h, w), 0.85);
        };
    }

    static String hash(NDArray x, Previews p) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(x.getShape().toString().getBytes());
            update(sha, x.toFloatArray());
            if (p != null) {
                for (int i = 0; i < p.x0.size(); i++) {
                    sha.update(p.steps.get(i).getBytes());
                    update(sha, p.x0.get(i));
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest sha, float[] data) {
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4);
        for (float f : data) {
            buf.putInt(Float.floatToRawIntBits(f));
        }
        sha.update(buf.array());
    }
}
