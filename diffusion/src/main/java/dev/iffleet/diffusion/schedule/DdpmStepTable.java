package dev.iffleet.diffusion.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The scalar operands of every step of one DDPM run, made once before the loop as 0-d float32 arrays in the
 * run's manager (on the sample's device). Why: in DJL each Number operand ({@code x.mul(0.7f)}) is a blocking
 * host-to-device copy plus a sync on a GPU, about 30 us each and a dozen per step; with these tables a step
 * issues device work only. The values are the float32 scalars {@link DdpmScheduler#step} always used, so CPU
 * results are bit-identical (DJL's mul(Number) is mul(create(Number)) on a 0-d array).
 */
public final class DdpmStepTable {

    private static final int SQRT_BETA = 0;
    private static final int SQRT_ALPHA = 1;
    private static final int ORIG = 2;
    private static final int SAMPLE = 3;
    private static final int MAX_LOG = 4;
    private static final int MIN_LOG = 5;

    private final NDArray[][] perStep;
    private final boolean[] noisy;
    private final NDArray one;
    private final NDArray two;
    private final NDArray half;
    private final DynamicThreshold.Constants threshold;

    DdpmStepTable(NDManager manager, DdpmScheduler scheduler, int[] timesteps, Shape sampleShape) {
        perStep = new NDArray[timesteps.length][];
        noisy = new boolean[timesteps.length];
        for (int i = 0; i < timesteps.length; i++) {
            float[] c = scheduler.coefficients(timesteps[i]);
            noisy[i] = timesteps[i] > 0;
            int n = noisy[i] ? c.length : MAX_LOG;
            perStep[i] = new NDArray[n];
            for (int j = 0; j < n; j++) {
                perStep[i][j] = manager.create(c[j]);
            }
        }
        one = manager.create(1f);
        two = manager.create(2f);
        half = manager.create(0.5f);
        threshold = scheduler.threshold().constants(manager, sampleShape.size() / sampleShape.get(0));
    }

    NDArray sqrtBetaProd(int i) {
        return perStep[i][SQRT_BETA];
    }

    NDArray sqrtAlphaProd(int i) {
        return perStep[i][SQRT_ALPHA];
    }

    NDArray origCoeff(int i) {
        return perStep[i][ORIG];
    }

    NDArray sampleCoeff(int i) {
        return perStep[i][SAMPLE];
    }

    /** Whether step i adds noise (t &gt; 0); only then do {@link #maxLog} and {@link #minLog} exist. */
    boolean noisy(int i) {
        return noisy[i];
    }

    NDArray maxLog(int i) {
        return perStep[i][MAX_LOG];
    }

    NDArray minLog(int i) {
        return perStep[i][MIN_LOG];
    }

    NDArray one() {
        return one;
    }

    NDArray two() {
        return two;
    }

    NDArray half() {
        return half;
    }

    DynamicThreshold.Constants threshold() {
        return threshold;
    }
}
