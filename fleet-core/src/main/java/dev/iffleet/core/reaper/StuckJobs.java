package dev.iffleet.core.reaper;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.JobState;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.StageStore;
import dev.iffleet.core.store.WorkerHeartbeat;
import dev.iffleet.core.worker.WorkerIds;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, from a job's record alone plus the workers' heartbeats and the stages' consumer lag, whether the job is
 * stuck and why. Pure: the same inputs give the same answer, so every reaper and {@code ./fleet jobs stuck} agree.
 *
 * <p>Where a job is: {@code queued} waits for encode; {@code running} at stage S either runs S ({@code S.started_at}
 * set, {@code S.finished_at} not), waits for the stage after S ({@code S.finished_at} set), or waits for S again after
 * a re-queue ({@code S.requeued_at} set, {@code S.started_at} removed by the re-queue).
 */
public final class StuckJobs {

    /** A replica's latest heartbeat: when it was written (epoch ms) and by which process (0 when not said). */
    public record Beat(long updatedAt, long pid) {}

    private final Deadlines deadlines;

    public StuckJobs(Deadlines deadlines) {
        this.deadlines = deadlines;
    }

    public Deadlines deadlines() {
        return deadlines;
    }

    /** The heartbeats of the workers hash ({@code <stage>:<replica>} to status JSON); unreadable ones are left out. */
    public static Map<String, Beat> beats(Map<String, String> workersHash) {
        Map<String, Beat> beats = new HashMap<>();
        workersHash.forEach((field, json) -> {
            try {
                JsonNode n = Json.MAPPER.readTree(json);
                beats.put(field, new Beat(n.path("updated_at").asLong(0), n.path("pid").asLong(0)));
            } catch (java.io.IOException | RuntimeException e) {
                // not a worker's report: no heartbeat
            }
        });
        return beats;
    }

    /**
     * @param h the job's hash
     * @param lag per stage, the consumer group's lag; a stage left out is unknown (Kafka unreachable): only the
     *     queue deadline then applies
     */
    public Optional<StuckJob> check(String id, Map<String, String> h, Map<String, Beat> beats, Map<Stage, Long> lag,
            long now) {
        String state = h.get("state");
        if (state == null || h.get("params") == null) {
            return Optional.empty();
        }
        JobParams params;
        JobState s;
        try {
            s = JobState.fromId(state);
            params = Json.read(h.get("params"), JobParams.class);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (s.terminal()) {
            return Optional.empty();
        }
        if (s == JobState.QUEUED || h.get("stage") == null) {
            return waiting(id, h, Stage.ENCODE, num(h, "created_at"), lag, now);
        }
        Stage at = Stage.fromId(h.get("stage"));
        if (h.containsKey(at.id() + ".finished_at")) {
            if (at == params.lastStage()) {
                return Optional.empty(); // its last stage is stored: it is being marked succeeded
            }
            return waiting(id, h, params.stageAfter(at), num(h, at.id() + ".finished_at"), lag, now);
        }
        if (!h.containsKey(at.id() + ".started_at")) {
            return waiting(id, h, at, num(h, "updated_at"), lag, now);
        }
        return running(id, h, at, beats, now);
    }

    private Optional<StuckJob> waiting(String id, Map<String, String> h, Stage stage, long since0, Map<Stage, Long> lag,
            long now) {
        long since = Math.max(since0, num(h, stage.id() + ".requeued_at"));
        long waited = now - since;
        Long stageLag = lag.get(stage);
        if (stageLag != null && stageLag == 0 && waited > deadlines.lostMessage().toMillis()) {
            return stuck(id, h, stage, StuckJob.Cause.MESSAGE_LOST, "waiting " + secs(waited) + " for " + stage.id()
                    + " while its consumer group has no lag", since);
        }
        if (waited > deadlines.queue().toMillis()) {
            return stuck(id, h, stage, StuckJob.Cause.MESSAGE_LOST, "waiting " + secs(waited) + " for " + stage.id()
                    + ", over the queue deadline of " + secs(deadlines.queue().toMillis()), since);
        }
        return Optional.empty();
    }

    private Optional<StuckJob> running(String id, Map<String, String> h, Stage stage, Map<String, Beat> beats, long now) {
        long started = num(h, stage.id() + ".started_at");
        String worker = h.getOrDefault(stage.id() + ".worker", "");
        Optional<String> replica = WorkerIds.replica(worker);
        if (replica.isPresent()) {
            Beat beat = beats.get(stage.id() + ":" + replica.get());
            long pid = WorkerIds.pid(worker);
            boolean sameProcess = beat != null && (beat.pid() <= 0 || pid <= 0 || beat.pid() == pid);
            long lastSeen = sameProcess ? Math.max(started, beat.updatedAt()) : started;
            boolean alive = sameProcess && now - beat.updatedAt() <= WorkerHeartbeat.FRESH_MS;
            if (!alive && now - lastSeen > deadlines.workerLost().toMillis()) {
                String why = beat == null ? "is gone from the workers hash"
                        : !sameProcess ? "was replaced by another process (pid " + beat.pid() + ")"
                        : "last heartbeat " + secs(now - beat.updatedAt()) + " ago";
                return stuck(id, h, stage, StuckJob.Cause.WORKER_LOST, "worker " + worker + " " + why, started);
            }
        }
        long ran = now - started;
        if (ran > deadlines.run(stage).toMillis()) {
            return stuck(id, h, stage, StuckJob.Cause.HUNG, "running " + secs(ran) + " on " + worker + ", over "
                    + stage.id() + "'s deadline of " + secs(deadlines.run(stage).toMillis()), started);
        }
        return Optional.empty();
    }

    private static Optional<StuckJob> stuck(String id, Map<String, String> h, Stage stage, StuckJob.Cause cause,
            String detail, long since) {
        return Optional.of(new StuckJob(id, stage, cause, detail, since, (int) num(h, stage.id() + ".requeues"),
                h.getOrDefault(stage.id() + StageStore.ADMISSIONS, "0")));
    }

    private static long num(Map<String, String> h, String field) {
        try {
            String v = h.get(field);
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String secs(long ms) {
        return (ms / 1000) + " s";
    }
}
