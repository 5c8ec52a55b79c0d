package dev.iffleet.gateway.reaper;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.reaper.Deadlines;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The reaper of stuck jobs ({@link ReaperService}), under {@code fleet.reaper.}; defaults as {@link Deadlines#defaults()}. */
@ConfigMapping(prefix = "fleet.reaper")
public interface ReaperConfig {

    /** Whether this gateway sweeps for stuck jobs; several may (each job is settled once), one is enough. */
    @WithDefault("true")
    boolean enabled();

    /** Pause between two sweeps. */
    @WithDefault("10s")
    Duration every();

    /** Per stage, how long a run may last while its worker still heartbeats before it is taken as hung. */
    RunDeadlines run();

    /** How long the worker that admitted a running job may be missing from the heartbeats before the job is orphaned. */
    @WithDefault("30s")
    Duration workerLostAfter();

    /** How long a job may wait for a stage whose consumer group has no lag before its message is taken as lost. */
    @WithDefault("60s")
    Duration lostMessageAfter();

    /** How long a job may wait for a stage at all (a backlog included) before its message is taken as lost. */
    @WithDefault("30m")
    Duration queueDeadline();

    /** Re-queues per stage of a job; stuck once more, it fails with error code {@code stuck} and the reason. */
    @WithDefault("2")
    int maxRequeues();

    /** Only jobs created this recently are looked at. */
    @WithDefault("24h")
    Duration horizon();

    /** At most this many of the newest such jobs per sweep. */
    @WithDefault("10000")
    int maxJobs();

    /** Run deadlines, one per stage: {@code fleet.reaper.run.stage1=15m}. */
    interface RunDeadlines {
        @WithDefault("2m")
        Duration encode();

        @WithDefault("15m")
        Duration stage1();

        @WithDefault("15m")
        Duration sr();

        @WithDefault("15m")
        Duration upscale();
    }

    default Deadlines deadlines() {
        Map<Stage, Duration> run = new EnumMap<>(Stage.class);
        run.put(Stage.ENCODE, run().encode());
        run.put(Stage.STAGE1, run().stage1());
        run.put(Stage.SR, run().sr());
        run.put(Stage.UPSCALE, run().upscale());
        return new Deadlines(run, workerLostAfter(), lostMessageAfter(), queueDeadline(), maxRequeues());
    }
}
