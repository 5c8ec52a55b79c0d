package dev.iffleet.core.worker;

/** Life of a stage worker; only READY workers report themselves ready. */
public enum WorkerState {
    STARTING,
    WARMING_UP,
    READY,
    /** Finishing what it holds before it leaves its group (SIGTERM). */
    DRAINING,
    FAILED,
    STOPPED
}
