package dev.iffleet.bench;

import java.util.List;
import java.util.function.BiFunction;

/**
 * A job's hop into each stage: from the moment the previous stage's model finished (or the job was created, for the
 * first stage) to the moment this stage's model could start — the previous stage's completion script and publish,
 * the Kafka hop, this stage's batch assembly, admission script and input reads. Everything the fleet adds between
 * two model runs, measured from the job record's own timestamps.
 */
final class Hops {

    static final List<String> STAGES = List.of("encode", "stage1", "sr", "upscale");

    private Hops() {}

    /**
     * @param field a stage's timing field ({@code started_at}, {@code finished_at}, {@code io_ms}), or null if absent
     * @param createdAt when the gateway created the job (epoch ms)
     * @return the hop in ms, or null when the stage did not run
     */
    static Long hop(String stage, BiFunction<String, String, Long> field, long createdAt) {
        Long started = field.apply(stage, "started_at");
        if (started == null) {
            return null;
        }
        long from = createdAt;
        for (String s : STAGES) {
            if (s.equals(stage)) {
                break;
            }
            Long f = field.apply(s, "finished_at");
            if (f != null) {
                from = f;
            }
        }
        Long io = field.apply(stage, "io_ms");
        return Math.max(0, started - from) + (io == null ? 0 : io);
    }

    /** The hop of a job read back from Redis. */
    static Long hop(LoadRun.Job job, String stage) {
        Long created = job.num("created_at");
        return hop(stage, (s, f) -> job.num(s + "." + f), created == null ? 0 : created);
    }
}
