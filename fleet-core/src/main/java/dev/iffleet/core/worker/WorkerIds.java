package dev.iffleet.core.worker;

import java.util.Optional;

/**
 * The id a worker writes into each job it admits ({@code <stage>.worker}): {@code <replica>/<pid>@<host>}, so a job
 * names the process that ran it and the replica whose heartbeat ({@code <stage>:<replica>}) says whether it lives.
 */
public final class WorkerIds {

    private WorkerIds() {}

    /** @param process the JVM's name, {@code <pid>@<host>} */
    public static String of(String replica, String process) {
        return replica + "/" + process;
    }

    /** The replica named by a worker id; empty for an id of another form (older workers, tests). */
    public static Optional<String> replica(String workerId) {
        int slash = workerId == null ? -1 : workerId.indexOf('/');
        return slash > 0 ? Optional.of(workerId.substring(0, slash)) : Optional.empty();
    }

    /** The process id named by a worker id, or -1 when it names none. */
    public static long pid(String workerId) {
        int slash = workerId == null ? -1 : workerId.indexOf('/');
        int at = workerId == null ? -1 : workerId.indexOf('@', slash + 1);
        if (slash < 0 || at < 0) {
            return -1;
        }
        try {
            return Long.parseLong(workerId.substring(slash + 1, at));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
