package dev.iffleet.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.schedule.NoiseAugment;
import dev.iffleet.diffusion.schedule.NoiseSchedules;
import dev.iffleet.diffusion.schedule.Timesteps;

/**
 * Says how a stage-I or stage-II denoising run starts: from pure noise (text-to-image, plain super-resolution),
 * from a noised init image (diffusers' IFImg2Img*Pipeline) or from a noised init image whose unmasked region is
 * kept (IFInpainting*Pipeline). The run's size is the start's size.
 *
 * <p>For img2img and inpainting, of the N timesteps handed to the sampler only {@link Timesteps#tail} with this
 * strength are run, and the first sample is add_noise(image, noise, first tail timestep) on the stage's
 * squaredcos_cap_v2 schedule. Inpainting starts from (1 - mask) * image + mask * noised and, after every
 * scheduler step, keeps x = (1 - mask) * x_before_step + mask * x_after_step, so the kept region stays the
 * clean image at every step, exactly as diffusers' IF inpainting pipelines do.
 *
 * <p>The arrays stay the caller's: samplers read them and leave them open in their manager.
 */
public final class SampleStart {

    /** Which pipeline's start this is. */
    public enum Mode {
        /** x_T is pure noise; every timestep runs. */
        NOISE,
        /** x starts at the init image noised to the first tail timestep. */
        IMG2IMG,
        /** As IMG2IMG inside the mask; outside it the init image is kept unchanged at every step. */
        INPAINT
    }

    /** alphas_cumprod of the IF stage-I/II schedulers (the img2img start noises on the stage's own schedule). */
    private static final float[] SCHEDULE = NoiseSchedules.squaredcosCapV2();

    private final Mode mode;
    private final int height;
    private final int width;
    private final NDArray image;
    private final NDArray mask;
    private final double strength;

    private SampleStart(Mode mode, int height, int width, NDArray image, NDArray mask, double strength) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("size must be positive: " + height + "x" + width);
        }
        this.mode = mode;
        this.height = height;
        this.width = width;
        this.image = image;
        this.mask = mask;
        this.strength = strength;
    }

    /** Text-to-image (stage I) or plain super-resolution (stage II) at height x width: x_T is pure noise. */
    public static SampleStart noise(int height, int width) {
        return new SampleStart(Mode.NOISE, height, width, null, null, 1.0);
    }

    /**
     * img2img from image, (1 or B, 3, H, W) float32 in [-1, 1] at the stage's size (stage II: the ORIGINAL
     * image at the target size, not the stage-I output); a batch of 1 serves every image of the run.
     *
     * @param strength in (0, 1]: the fraction of the timesteps that runs, int(N * strength) from the end
     */
    public static SampleStart img2img(NDArray image, double strength) {
        Shape s = checkImage(image);
        return new SampleStart(Mode.IMG2IMG, (int) s.get(2), (int) s.get(3), image, null, checkStrength(strength));
    }

    /**
     * Inpainting of image (as {@link #img2img}) where mask, (1 or B, 1, H, W) float32, is 1: those pixels are
     * regenerated, pixels where it is 0 keep the image's values exactly. Like diffusers, the sampler binarises the
     * mask at 0.5 (&lt; 0.5 keeps, &gt;= 0.5 repaints).
     */
    public static SampleStart inpaint(NDArray image, NDArray mask, double strength) {
        Shape s = checkImage(image);
        Shape ms = mask.getShape();
        if (ms.dimension() != 4 || ms.get(1) != 1 || ms.get(2) != s.get(2) || ms.get(3) != s.get(3)) {
            throw new IllegalArgumentException("mask must be (1 or B, 1, H, W) matching image " + s + ", got " + ms);
        }
        return new SampleStart(Mode.INPAINT, (int) s.get(2), (int) s.get(3), image, mask, checkStrength(strength));
    }

    public Mode mode() {
        return mode;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The img2img/inpainting strength; 1 for a noise start. */
    public double strength() {
        return strength;
    }

    /**
     * The timesteps a sampler runs out of the full descending list: all of them for a noise start, else
     * {@link Timesteps#tail}(all, strength). Rejects a strength so small that no step would run.
     */
    public int[] timesteps(int[] all) {
        if (mode == Mode.NOISE) {
            return all.clone();
        }
        int[] tail = Timesteps.tail(all, strength);
        if (tail.length == 0) {
            throw new IllegalArgumentException(
                    "strength " + strength + " runs no step of " + all.length + "; raise strength or steps");
        }
        return tail;
    }

    /** Checks the start against the run's batch and sets it up in run's manager (it borrows image and mask). */
    Active activate(NDManager run, long batch) {
        for (NDArray a : new NDArray[] {image, mask}) {
            long b = a == null ? 1 : a.getShape().get(0);
            if (b != 1 && b != batch) {
                throw new IllegalArgumentException(
                        "start array " + a.getShape() + " has batch " + b + ", expected 1 or " + batch);
            }
        }
        return new Active(run);
    }

    /** A start set up for one sampling run: the arrays it needs per step live in (or are borrowed by) the run. */
    final class Active {

        private final NDManager run;
        private NDArray keep;
        private NDArray repaint;

        private Active(NDManager run) {
            this.run = run;
            if (image != null) {
                SamplerSupport.borrow(run, image);
            }
            if (mask != null) {
                SamplerSupport.borrow(run, mask);
                // diffusers binarises tensor masks too: < 0.5 -> 0, >= 0.5 -> 1.
                repaint = mask.gte(0.5f).toType(DataType.FLOAT32, false);
                keep = repaint.neg().add(1f);
            } else {
                repaint = null;
                keep = null;
            }
        }

        /** Arrays each step must borrow so that {@link #afterStep} computes in the step's scope. */
        NDArray[] stepArrays() {
            return keep == null ? new NDArray[0] : new NDArray[] {keep, repaint};
        }

        /**
         * Draws the start noise (batch, channels, H, W), one draw in every mode, and returns the first sample in
         * the run's manager; firstT is the first timestep that runs.
         */
        NDArray first(long batch, int channels, int firstT, NoiseSource noise) {
            NDArray draw = noise.gaussian(run, new Shape(batch, channels, height, width));
            if (mode == Mode.NOISE) {
                return draw;
            }
            NDArray noised = NoiseAugment.addNoise(image, draw, firstT, SCHEDULE);
            if (mode == Mode.IMG2IMG) {
                return noised;
            }
            return keep.mul(image).add(repaint.mul(noised));
        }

        /**
         * Keeps the per-image mask rows of the images at positions (see {@link StepListener#dropped()}); a
         * one-image mask serves every image and stays. The init image is only read by {@link #first}.
         */
        void retain(int[] positions) {
            if (keep == null) {
                return;
            }
            NDArray k = LiveRows.take(keep, positions);
            if (k != keep) {
                NDArray r = LiveRows.take(repaint, positions);
                keep.close();
                repaint.close();
                keep = k;
                repaint = r;
            }
        }

        /** After a scheduler step: inpainting keeps (1 - mask) * before + mask * after, other modes after. */
        NDArray afterStep(NDArray before, NDArray after) {
            if (keep == null) {
                return after;
            }
            return keep.mul(before).add(repaint.mul(after));
        }
    }

    private static Shape checkImage(NDArray image) {
        Shape s = image.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("init image must be (1 or B, 3, H, W), got " + s);
        }
        return s;
    }

    private static double checkStrength(double strength) {
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], got " + strength);
        }
        return strength;
    }
}
