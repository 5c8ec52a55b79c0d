package dev.iffleet.gateway.submit;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.job.TimestepSchedule;

/** Refuses a strength so small that a stage would run no step at all (int(N * strength) = 0). */
final class StepCounts {

    private StepCounts() {}

    static void check(JobParams p) {
        for (Stage stage : new Stage[] {Stage.STAGE1, Stage.SR}) {
            StageOverrides o = p.overrides(stage);
            Integer n = steps(o);
            if (p.runs(stage) && o.strength() != null && n != null && (int) (n * o.strength()) < 1) {
                throw new InvalidRequestException(stage.id() + ".strength", stage.id() + ".strength " + o.strength()
                        + " of " + n + " steps runs no step; raise strength or steps");
            }
        }
    }

    /** The length of the stage's schedule when the request fixes it, else null (the pack's default). */
    private static Integer steps(StageOverrides o) {
        if (o.timesteps() != null) {
            TimestepSchedule t = o.timesteps();
            return t.explicit() != null ? t.explicit().size() : Integer.valueOf(t.name().replaceAll("\\D", ""));
        }
        return o.steps();
    }
}
