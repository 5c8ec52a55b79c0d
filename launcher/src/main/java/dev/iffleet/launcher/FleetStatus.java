package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ./fleet status} shows, computed from the workers' heartbeats (the Redis hash {@code <prefix>workers},
 * field {@code <stage>:<replica>}, a JSON value) and each stage topic's consumer lag: one row per replica, one per stage.
 * Pure, so that it is tested without services; {@link StatusCommand} fetches the inputs.
 */
final class FleetStatus {

    /** A heartbeat older than this means the replica is gone (it writes one every few seconds while it runs). */
    static final long STALE_MS = 10_000;
    static final List<String> STAGES = List.of("encode", "stage1", "sr", "upscale");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One replica as its last heartbeat describes it; {@code state} is {@code gone} when stale. */
    record Replica(String stage, String replica, String state, long inFlight, String device, String backend,
            long batches, double meanBatch, long jobs, int port, long pid, long ageMs) {}

    /** A stage's topic lag (end offsets minus its group's committed offsets), null if unknown. */
    record Stage(String stage, String topic, String group, Long lag, long replicas, long ready) {}

    /** A replica the launcher started, before (or without) its first heartbeat. */
    static Replica silent(String stage, String replica, String device, int port, long pid) {
        return new Replica(stage, replica, "no heartbeat", 0, device, "", 0, 0, 0, port, pid, -1);
    }

    private final List<Replica> replicas;
    private final List<Stage> stages;

    private FleetStatus(List<Replica> replicas, List<Stage> stages) {
        this.replicas = replicas;
        this.stages = stages;
    }

    /**
     * @param heartbeats the {@code workers} hash: field {@code <stage>:<replica>} to its JSON
     * @param lag lag per stage ({@code stage1} to its lag); a stage missing (or null) is unknown
     * @param expected replicas the launcher started (stage, replica, device, port, pid), shown as {@code no heartbeat}
     *     while they have none
     */
    static FleetStatus of(Topics names, Map<String, String> heartbeats, Map<String, Long> lag, List<Replica> expected,
            long nowMs) {
        List<Replica> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        heartbeats.forEach((field, json) -> {
            Replica r = parse(field, json, nowMs);
            rows.add(r);
            seen.add(r.stage() + ":" + r.replica());
        });
        for (Replica e : expected) {
            if (!seen.contains(e.stage() + ":" + e.replica())) {
                rows.add(e);
            }
        }
        rows.sort(Comparator.comparingInt((Replica r) -> stageOrder(r.stage())).thenComparing(r -> replicaOrder(r.replica())));
        List<Stage> stageRows = new ArrayList<>();
        for (String s : STAGES) {
            dev.iffleet.core.job.Stage stage = dev.iffleet.core.job.Stage.fromId(s);
            long count = rows.stream().filter(r -> r.stage().equals(s) && !r.state().equals("gone")).count();
            long ready = rows.stream().filter(r -> r.stage().equals(s) && r.state().equals("ready")).count();
            stageRows.add(new Stage(s, names.input(stage), names.group(stage), lag.get(s), count, ready));
        }
        return new FleetStatus(List.copyOf(rows), List.copyOf(stageRows));
    }

    List<Replica> replicas() {
        return replicas;
    }

    List<Stage> stages() {
        return stages;
    }

    /** The two tables {@code ./fleet status} prints. */
    String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-8s %-7s %-12s %9s %-7s %-11s %8s %10s %8s %6s %8s%n", "STAGE", "REPLICA", "STATE",
                "IN FLIGHT", "DEVICE", "BACKEND", "BATCHES", "MEAN BATCH", "JOBS", "PORT", "PID"));
        for (Replica r : replicas) {
            boolean known = r.ageMs() >= 0;
            out.append(String.format("%-8s %-7s %-12s %9s %-7s %-11s %8s %10s %8s %6s %8s%n", r.stage(), r.replica(),
                    r.state(), known ? r.inFlight() : "-", dash(r.device()), dash(r.backend()), known ? r.batches() : "-",
                    known ? String.format("%.2f", r.meanBatch()) : "-", known ? r.jobs() : "-",
                    r.port() > 0 ? r.port() : "-", r.pid() > 0 ? r.pid() : "-"));
        }
        if (replicas.isEmpty()) {
            out.append("(no worker heartbeats)\n");
        }
        out.append('\n');
        out.append(String.format("%-8s %-20s %-20s %8s %9s%n", "STAGE", "TOPIC", "GROUP", "LAG", "REPLICAS"));
        for (Stage s : stages) {
            out.append(String.format("%-8s %-20s %-20s %8s %9s%n", s.stage(), s.topic(), s.group(),
                    s.lag() == null ? "-" : s.lag(), s.ready() + "/" + s.replicas() + " ready"));
        }
        return out.toString();
    }

    private static Replica parse(String field, String json, long nowMs) {
        String[] parts = field.split(":", 2);
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            return new Replica(parts[0], parts.length > 1 ? parts[1] : "?", "unreadable", 0, "", "", 0, 0, 0, 0, 0, 0);
        }
        String stage = n.path("stage").asText(parts[0]);
        String replica = n.path("replica").asText(parts.length > 1 ? parts[1] : "0");
        long age = nowMs - n.path("updated_at").asLong(0);
        String state = age > STALE_MS ? "gone" : n.path("state").asText("unknown");
        return new Replica(stage, replica, state, n.path("in_flight").asLong(), n.path("device").asText(""),
                n.path("backend").asText(""), n.path("batches").asLong(), n.path("mean_batch").asDouble(),
                n.path("jobs").asLong(), n.path("port").asInt(), n.path("pid").asLong(), Math.max(0, age));
    }

    private static int stageOrder(String stage) {
        int i = STAGES.indexOf(stage);
        return i < 0 ? STAGES.size() : i;
    }

    private static long replicaOrder(String replica) {
        try {
            return Long.parseLong(replica);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
