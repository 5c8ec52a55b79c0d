package dev.iffleet.core.store;

import dev.iffleet.core.job.Stage;

/** Redis key layout: {@code <prefix>job:<id>} for the record, {@code <prefix>job:<id>:<stage>:<name>} for artifacts. */
public record Keys(String prefix) {

    public Keys {
        prefix = prefix == null ? "" : prefix;
    }

    public String job(String jobId) {
        return prefix + "job:" + jobId;
    }

    public String artifact(String jobId, Stage stage, String name) {
        return job(jobId) + ":" + stage.id() + ":" + name;
    }

    /** Marker written last by a stage: its presence means every output of the stage is stored. */
    public String done(String jobId, Stage stage) {
        return artifact(jobId, stage, "done");
    }
}
