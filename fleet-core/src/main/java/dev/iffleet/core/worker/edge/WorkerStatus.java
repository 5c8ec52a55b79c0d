package dev.iffleet.core.worker.edge;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.iffleet.core.worker.WorkerState;

/**
 * One replica as {@code GET /fleet/worker} and its heartbeat in Redis show it.
 *
 * @param state {@code warming}, {@code ready}, {@code draining}, {@code failed} or {@code stopped}
 * @param modelMs wall time of every batch run so far
 * @param updatedAt when this status was taken (epoch ms); readers treat a heartbeat older than 10 s as gone
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WorkerStatus(String stage, String replica, String state, String device, String backend, int inFlight,
        int maxBatch, long batches, long jobs, double meanBatch, long modelMs, int port, long pid, long updatedAt) {

    /** How a state reads in status: starting and warming up are both {@code warming}. */
    public static String label(WorkerState s) {
        return switch (s) {
            case STARTING, WARMING_UP -> "warming";
            default -> s.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
