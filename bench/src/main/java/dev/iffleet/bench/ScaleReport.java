package dev.iffleet.bench;

import static dev.iffleet.bench.ScaleBench.f1;

import dev.iffleet.core.queue.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Figures of the scale bench: collected phase by phase, printed as tables and written as JSON. */
final class ScaleReport {

    private static final String[] STAGES = {"encode", "stage1", "sr", "upscale"};

    private final Map<String, Object> result;
    private final List<Map<String, Object>> replicaRows = new ArrayList<>();
    private final List<Map<String, Object>> batchRows = new ArrayList<>();
    private final Map<String, Double> perReplica = new LinkedHashMap<>();

    ScaleReport(Map<String, Object> result) {
        this.result = result;
        result.put("replicas", replicaRows);
        result.put("batching", batchRows);
        result.put("per_replica_images_per_min", perReplica);
    }

    /** The first job on a fresh fleet: its hops stage by stage. */
    void first(LoadRun.Job job) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String s : STAGES) {
            Long q = job.num(s + ".queued_ms");
            Long io = job.num(s + ".io_ms");
            Long run = job.num(s + ".run_ms");
            if (q != null) {
                m.put(s, Map.of("queued_ms", q, "io_ms", io == null ? 0 : io, "run_ms", run == null ? 0 : run,
                        "hop_ms", Hops.hop(job, s)));
            }
        }
        m.put("state", job.hash().get("state"));
        m.put("simulated", job.hash().values().stream().anyMatch("simulated"::equals));
        result.put("first_job", m);
    }

    /** Jobs one at a time: hop percentiles and fleet overhead (every hop, see {@link Hops}) as % of model time. */
    void serial(List<LoadRun.Job> jobs) {
        Map<String, Object> stages = new LinkedHashMap<>();
        for (String s : STAGES) {
            Stats hop = new Stats();
            Stats run = new Stats();
            long overhead = 0;
            long model = 0;
            for (LoadRun.Job j : jobs) {
                Long q = j.num(s + ".queued_ms");
                Long r = j.num(s + ".run_ms");
                if (q == null || r == null) {
                    continue;
                }
                long h = Hops.hop(j, s);
                hop.add(h);
                run.add(r);
                overhead += h;
                model += r;
            }
            if (run.count() == 0) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jobs", run.count());
            m.put("hop_p50_ms", hop.percentile(50));
            m.put("hop_p99_ms", hop.percentile(99));
            m.put("run_p50_ms", run.percentile(50));
            m.put("overhead_pct_of_model", model == 0 ? null : Math.round(1000.0 * overhead / model) / 10.0);
            stages.put(s, m);
            if (!s.equals("stage1") && run.percentile(50) > 0) {
                perReplica.put(s, Math.round(600_000.0 / run.percentile(50)) / 10.0);
            }
        }
        result.put("serial", Map.of("jobs", jobs.size(), "failed", LoadRun.failed(jobs), "stages", stages));
    }

    void replicas(int replicas, int inflight, List<LoadRun.Job> jobs, double perMin) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("replicas", replicas);
        row.put("inflight", inflight);
        row.put("jobs", jobs.size());
        row.put("failed", LoadRun.failed(jobs));
        row.put("images_per_min", round1(perMin));
        double base = replicaRows.isEmpty() ? perMin : num(replicaRows.get(0).get("images_per_min"));
        row.put("efficiency_pct", round1(100 * perMin / (replicas * base)));
        row.put("mean_batch", round1(LoadRun.meanBatch(jobs, "stage1")));
        Stats hop = new Stats();
        Stats run = new Stats();
        jobs.forEach(j -> {
            if (j.num("stage1.run_ms") != null) {
                run.add(j.num("stage1.run_ms"));
            }
            Long h = Hops.hop(j, "stage1");
            if (h != null) {
                hop.add(h);
            }
        });
        row.put("stage1_run_p50_ms", run.percentile(50));
        row.put("stage1_hop_p50_ms", hop.percentile(50));
        row.put("stage1_hop_p99_ms", hop.percentile(99));
        replicaRows.add(row);
        if (replicas == 1) {
            perReplica.put("stage1", round1(perMin));
        }
        System.out.printf("stage1 x%d: %s images/min (%d jobs, %d in flight)%n", replicas, f1(perMin), jobs.size(), inflight);
    }

    void batching(String backend, int maxBatch, int inflight, List<LoadRun.Job> jobs, double perMin, double heartbeat) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("backend", backend);
        row.put("max_batch", maxBatch);
        row.put("inflight", inflight);
        row.put("jobs", jobs.size());
        row.put("failed", LoadRun.failed(jobs));
        row.put("images_per_min", round1(perMin));
        row.put("mean_batch_records", round1(LoadRun.meanBatch(jobs, "stage1")));
        row.put("mean_batch_heartbeat", round1(heartbeat));
        Double base = baseline(backend);
        row.put("gain_vs_max_batch_1", base == null || base.isNaN() ? null : round1(perMin / base));
        batchRows.add(row);
        System.out.printf("stage1 %s max-batch %d: %s images/min, mean batch %s%n", backend, maxBatch, f1(perMin),
                f1(LoadRun.meanBatch(jobs, "stage1")));
    }

    /** Max batch 1 at the same load: the simulated x1 run, or the backend's own max-batch-1 row. */
    private Double baseline(String backend) {
        for (Map<String, Object> r : batchRows) {
            if (r.get("backend").equals(backend) && r.get("max_batch").equals(1)) {
                return num(r.get("images_per_min"));
            }
        }
        if (backend.equals("simulated") && !replicaRows.isEmpty()) {
            return num(replicaRows.get(0).get("images_per_min"));
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    void print(ScaleSettings s) {
        System.out.printf("%nscale bench: simulated backend, profile %s, pack %s, steps %d/%d/%d, %s cores%n",
                s.profile(), s.pack(), s.stage1Steps(), s.srSteps(), s.upscaleSteps(), result.get("cores"));
        System.out.println("first job on the fresh fleet (ms): " + result.get("first_job"));
        Map<String, Object> serial = (Map<String, Object>) result.get("serial");
        System.out.printf("one job at a time (%s jobs): per stage hop = previous model end to this model start (completion, publish, Kafka, admission, reads)%n", serial.get("jobs"));
        System.out.printf("%-8s | %8s | %8s | %10s | %20s%n", "stage", "hop p50", "hop p99", "model p50", "overhead % of model");
        ((Map<String, Map<String, Object>>) serial.get("stages")).forEach((st, m) -> System.out.printf(
                "%-8s | %8s | %8s | %10s | %20s%n", st, m.get("hop_p50_ms"), m.get("hop_p99_ms"), m.get("run_p50_ms"),
                m.get("overhead_pct_of_model")));
        System.out.printf("%nstage I replicas | in flight | images/min | efficiency %% | mean batch | run p50 | "
                + "stage1 hop p50/p99 (ms, with queueing)%n");
        for (Map<String, Object> r : replicaRows) {
            System.out.printf("%16s | %9s | %10s | %12s | %10s | %7s | %s / %s%n", r.get("replicas"), r.get("inflight"),
                    r.get("images_per_min"), r.get("efficiency_pct"), r.get("mean_batch"), r.get("stage1_run_p50_ms"),
                    r.get("stage1_hop_p50_ms"), r.get("stage1_hop_p99_ms"));
        }
        System.out.printf("%nbatching (1 replica)   | max batch | in flight | images/min | gain | mean batch (records / heartbeat)%n");
        for (Map<String, Object> r : batchRows) {
            System.out.printf("%-22s | %9s | %9s | %10s | %4s | %s / %s%n", r.get("backend"), r.get("max_batch"),
                    r.get("inflight"), r.get("images_per_min"), r.get("gain_vs_max_batch_1"),
                    r.get("mean_batch_records"), r.get("mean_batch_heartbeat"));
        }
        System.out.println("per replica images/min (for ./fleet plan --bench): " + perReplica);
    }

    Path write(Path root, ScaleSettings s) {
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
        Path out = root.resolve("bench/results/scale-" + stamp + (s.quick() ? "-quick" : "") + ".json");
        try {
            Files.createDirectories(out.getParent());
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static Double round1(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : Math.round(d * 10) / 10.0;
    }
}
