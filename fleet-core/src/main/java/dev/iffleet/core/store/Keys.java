package dev.iffleet.core.store;

import dev.iffleet.core.job.Stage;

/**
 * Redis key layout: {@code <prefix>job:<id>} for the record, {@code <prefix>job:<id>:<stage>:<name>} for artifacts;
 * keys that must outlive a job's artifacts (tombstone, idempotency claim) live outside {@code job:<id>:}.
 */
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

    /** A caller's upload (input image, mask), kept with the job's artifacts and removed with them. */
    public String input(String jobId, String name) {
        return job(jobId) + ":input:" + name;
    }

    /** Marker written last by a stage: its presence means every output of the stage is stored. */
    public String done(String jobId, Stage stage) {
        return artifact(jobId, stage, "done");
    }

    /** SCAN pattern of every artifact of a job (glob characters of the prefix escaped). */
    public String artifactPattern(String jobId) {
        // <stage>:<name> below the job: not its event history or delivery list (job:<id>:events, ...)
        return job(jobId).replaceAll("([\\\\*?\\[\\]^])", "\\\\$1") + ":*:*";
    }

    /** Sorted set of every job id, scored by creation time (ms): the listing index. */
    public String jobsIndex() {
        return prefix + "jobs";
    }

    /** Small key that outlives a job's record, so an expired id answers "removed" rather than "unknown". */
    public String tombstone(String jobId) {
        return prefix + "tomb:" + jobId;
    }

    /** Claim of an idempotency key (already hashed by the caller). */
    public String idempotency(String keyHash) {
        return prefix + "idem:" + keyHash;
    }

    /** List of a stage's recent run times (ms), newest first, for ETAs. */
    public String runTimes(Stage stage) {
        return prefix + "stats:" + stage.id() + ":run_ms";
    }

    /** Pub/sub channel on which a cancel names its job, so running stages stop without polling Redis per step. */
    public String cancelChannel() {
        return prefix + "cancel";
    }

    /** Hash of the fleet's live workers: field {@code <stage>:<replica>}, value their status JSON (heartbeat). */
    public String workers() {
        return prefix + "workers";
    }

    /**
     * The key prefix of fleet {@code name}: an explicit prefix wins; else the default fleet keeps unprefixed keys
     * (as before fleets had names) and any other fleet gets {@code <name>:}.
     */
    public static Keys forFleet(String name, java.util.Optional<String> explicitPrefix) {
        return new Keys(explicitPrefix.orElse(dev.iffleet.core.queue.Topics.DEFAULT_NAME.equals(name) ? "" : name + ":"));
    }
}
