package dev.iffleet.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Throttling of progress events, driven by a fake clock (no Redis needed: no artifact is read). */
class StageContextTest {

    private final List<JobEvent> events = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000);
    private final StageMessage msg = new StageMessage("j", Stage.STAGE1, 1, Map.of(),
            new JobParams("p", "", 1, 64, null, null, null), 0);

    private StageContext context(Duration interval) {
        return new StageContext(msg, null, events::add, interval, clock::get);
    }

    private List<Integer> reportedSteps() {
        return events.stream().map(JobEvent::step).toList();
    }

    @Test
    void progressIsThrottledToOneEventPerInterval() {
        StageContext ctx = context(Duration.ofMillis(250));
        for (int step = 1; step <= 10; step++) {
            clock.addAndGet(100);
            ctx.progress(step, 10);
        }
        assertEquals(List.of(1, 4, 7, 10), reportedSteps());
    }

    @Test
    void firstProgressIsReportedAtOnce() {
        StageContext ctx = context(Duration.ofMillis(500));
        ctx.progress(1, 50);
        assertEquals(List.of(JobEvent.progress("j", Stage.STAGE1, 1, 50, 1_000)), events);
    }

    @Test
    void firstProgressIsReportedEvenWhenTheClockStartsAtZero() {
        clock.set(0);
        StageContext ctx = context(Duration.ofMillis(500));
        ctx.progress(1, 50);
        assertEquals(List.of(1), reportedSteps());
    }

    @Test
    void lastStepIsAlwaysReported() {
        StageContext ctx = context(Duration.ofHours(1));
        ctx.progress(1, 3);
        ctx.progress(2, 3);
        ctx.progress(3, 3);
        assertEquals(List.of(1, 3), reportedSteps());
    }

    @Test
    void zeroIntervalReportsEveryStep() {
        StageContext ctx = context(Duration.ZERO);
        for (int step = 1; step <= 4; step++) {
            ctx.progress(step, 4);
        }
        assertEquals(List.of(1, 2, 3, 4), reportedSteps());
    }

    @Test
    void contextExposesTheJob() {
        StageContext ctx = context(Duration.ZERO);
        assertEquals("j", ctx.jobId());
        assertEquals(msg.params(), ctx.params());
        assertEquals(msg, ctx.message());
    }
}
