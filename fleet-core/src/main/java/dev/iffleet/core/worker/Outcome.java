package dev.iffleet.core.worker;

import dev.iffleet.core.job.StageMessage;

/** How one job left a stage: what the messaging edge does with its record. */
public sealed interface Outcome {

    /** Hand the job on: publish this message to its stage's topic, then commit. */
    record Next(StageMessage message) implements Outcome {}

    /** Nothing to hand on: the job ended here (succeeded, canceled) or had already ended. Commit. */
    record Ended() implements Outcome {}

    /** The stage gave up and marked the job failed: dead-letter the record with the reason, then commit. */
    record Failed(StageFailedException failure) implements Outcome {}

    /** The record is unusable (not a message of this stage): dead-letter it, then commit. */
    record Rejected(InvalidJobException failure) implements Outcome {}

    /** A draining worker stopped the job unfinished: leave the record uncommitted so another replica takes it. */
    record HandedBack() implements Outcome {}
}
