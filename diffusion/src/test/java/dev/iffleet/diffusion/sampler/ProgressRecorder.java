package dev.iffleet.diffusion.sampler;

import java.util.ArrayList;
import java.util.List;

/** A step listener for tests that records every (step, total) and can abort at a chosen step. */
final class ProgressRecorder implements StepListener {

    final List<Integer> steps = new ArrayList<>();
    final List<Integer> totals = new ArrayList<>();
    private final int abortAt;

    ProgressRecorder() {
        this(-1);
    }

    ProgressRecorder(int abortAt) {
        this.abortAt = abortAt;
    }

    @Override
    public void onStep(int stepIndex, int totalSteps) {
        steps.add(stepIndex);
        totals.add(totalSteps);
        if (stepIndex == abortAt) {
            throw new IllegalStateException("cancelled at " + stepIndex);
        }
    }
}
