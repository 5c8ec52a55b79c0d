package dev.iffleet.gateway.api;

import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.store.JobStore;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sync mode: {@code Prefer: wait=N} (RFC 7240) holds a request until its job is terminal or N seconds pass.
 * Runs on a worker thread (the resource is blocking) and polls the job record.
 */
final class SyncWait {

    static final int MAX_WAIT_SECONDS = 60;
    static final long POLL_MS = 150;
    static final String APPLIED_HEADER = "Preference-Applied";

    private static final Pattern WAIT = Pattern.compile("(?i)(?:^|[\\s,;])wait\\s*=\\s*(\\d{1,9})\\s*(?=$|[,;])");

    private SyncWait() {}

    /** The wait asked for, clamped to {@value #MAX_WAIT_SECONDS} s; 0 when absent or malformed. */
    static int seconds(String prefer) {
        if (prefer == null) {
            return 0;
        }
        Matcher m = WAIT.matcher(prefer.trim());
        return m.find() ? Math.min(MAX_WAIT_SECONDS, Integer.parseInt(m.group(1))) : 0;
    }

    /** The job once terminal, or as it is when {@code seconds} have passed; empty when it disappeared. */
    static Optional<JobRecord> until(JobStore jobs, String id, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Optional<JobRecord> job = jobs.find(id);
        while (job.isPresent() && !job.get().state().terminal() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            job = jobs.find(id);
        }
        return job;
    }

    /** The job once its record exists, waiting up to {@code max} for a concurrent creator to write it. */
    static Optional<JobRecord> appeared(JobStore jobs, String id, java.time.Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        Optional<JobRecord> job = jobs.find(id);
        while (job.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            job = jobs.find(id);
        }
        return job;
    }
}
