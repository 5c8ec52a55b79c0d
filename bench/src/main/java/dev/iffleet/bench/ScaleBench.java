package dev.iffleet.bench;

import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.launcher.Fleet;
import dev.iffleet.launcher.FleetClient;
import dev.iffleet.launcher.FleetOptions;
import dev.iffleet.launcher.Service;
import dev.iffleet.launcher.StageReplicas;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scale-out on the simulated backend (H200 cost profile): stage I throughput with 1, 2 and 4 replicas, the
 * batching gain at 8 concurrent jobs (max batch 8 vs 1), per-stage fleet overhead and hops on a lightly loaded
 * fleet, the first job's hops; then the batching gain of the real shapes pack on this CPU. One fleet throughout;
 * only the stage I replicas change. Usage: {@code bench/run scale [quick] [key=value ...]}, see bench/README.md.
 */
public final class ScaleBench {

    private static final Duration READY = Duration.ofMinutes(5);

    private ScaleBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        Map<String, String> a = Args.parse(quick ? java.util.Arrays.copyOfRange(args, 1, args.length) : args);
        ScaleSettings s = ScaleSettings.of(quick, a);
        Path root = BenchFleet.root();
        Path work = root.resolve(".fleet").resolve("bench-" + ProcessHandle.current().pid());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("format", "if-fleet-scale-bench/1");
        result.put("settings", s.describe());
        result.put("cores", Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        // 4 partitions serve 4 replicas; every service must agree with Fleet.start on the count (with fewer created,
        // services growing the topics at the same time raced: "Topic already has 48 partition(s)")
        Map<String, String> common = Map.of("fleet.kafka.partitions", "4");
        Map<String, String> simulated = Map.of("fleet.kafka.partitions", "4", "fleet.model.backend", "simulated",
                "fleet.model.profile", root.resolve(s.profile()).toString());
        Path pack = root.resolve(s.pack());
        FleetOptions.Builder options = FleetOptions.builder(pack, work.resolve("logs")).config(common).readyTimeout(READY)
                .only(EnumSet.of(Service.GATEWAY, Service.ENCODE, Service.SR, Service.UPSCALE));
        for (Service w : List.of(Service.ENCODE, Service.SR, Service.UPSCALE)) {
            simulated.forEach((k, v) -> options.serviceConfig(w, k, v));
        }
        try (DevStack stack = DevStack.start(work);
                Fleet fleet = Fleet.start(stack, root, options.build());
                // stage I's replica sets change while the rest of the fleet keeps running, which FleetOptions (fixed
                // at start) cannot express; restarting the whole fleet per set would cost minutes each
                StageReplicas stage1 = new StageReplicas(Service.STAGE1, stack, root, pack, work.resolve("logs"));
                RedisStore redis = new RedisStore(stack.redisUri())) {
            FleetClient gateway = new FleetClient(fleet.gatewayUrl());
            stage1.add(1, with(simulated, "fleet.worker.max-batch", "1"), READY);
            JobEnds ends = new JobEnds(stack.bootstrapServers(), dev.iffleet.core.queue.Topics.DEFAULT.events(), redis);
            System.out.printf("fleet up in %.0f s: gateway %s, logs %s%n", secs(t0), fleet.gatewayUrl(), work.resolve("logs"));

            ScaleReport report = new ScaleReport(result);
            // lightly loaded: one job at a time through the whole cascade; the very first one apart
            report.first(LoadRun.one(gateway, redis, ends, s.fullBody(), Duration.ofMinutes(3)));
            report.serial(LoadRun.run(gateway, redis, ends, s.fullBody(), 1, s.serialJobs(), Duration.ofMinutes(5)));

            int[] replicas = {1, 2, 4};
            for (int r : replicas) {
                if (stage1.count() < r) {
                    stage1.add(r - stage1.count(), with(simulated, "fleet.worker.max-batch", "1"), READY);
                }
                // a backlog of about eight jobs per replica: records are bound to partitions, so a thin backlog leaves some
                // replica without work while another has two; throughput is measured where the fleet is the limit
                int inflight = Math.max(s.inflight(), 8 * r);
                LoadRun.run(gateway, redis, ends, s.stage1Body(), inflight, 2 * r, Duration.ofMinutes(3)); // rebalance, warm
                List<LoadRun.Job> jobs = LoadRun.run(gateway, redis, ends, s.stage1Body(), inflight, s.jobsPerReplica() * r,
                        Duration.ofMinutes(5));
                report.replicas(r, inflight, jobs, LoadRun.perMinute(jobs, "stage1", r));
            }

            for (int maxBatch : new int[] {8}) {
                stage1.stopAll();
                stage1.add(1, with(simulated, "fleet.worker.max-batch", Integer.toString(maxBatch)), READY);
                LoadRun.run(gateway, redis, ends, s.stage1Body(), s.inflight(), 2, Duration.ofMinutes(3));
                List<LoadRun.Job> jobs = LoadRun.run(gateway, redis, ends, s.stage1Body(), s.inflight(),
                        Math.max(2 * s.inflight(), s.jobsPerReplica()), Duration.ofMinutes(5));
                report.batching("simulated", maxBatch, s.inflight(), jobs,
                        LoadRun.perMinute(jobs, "stage1", 1), heartbeatBatch(redis));
            }

            if (s.shapes()) {
                for (int maxBatch : new int[] {1, 8}) {
                    stage1.stopAll();
                    stage1.add(1, Map.of("fleet.kafka.partitions", "4", "fleet.model.backend", "torchscript",
                            "fleet.worker.max-batch", Integer.toString(maxBatch)), READY);
                    // TorchScript profiles each new input shape (batch size) on its first calls: a concurrent round
                    // first, so that the batch sizes the measured round meets are mostly warm
                    LoadRun.run(gateway, redis, ends, s.shapesBody(), s.inflight(), s.inflight(), Duration.ofMinutes(5));
                    List<LoadRun.Job> jobs = LoadRun.run(gateway, redis, ends, s.shapesBody(), s.inflight(), s.shapesJobs(),
                            Duration.ofMinutes(5));
                    report.batching("shapes-cpu", maxBatch, s.inflight(), jobs,
                            LoadRun.perMinute(jobs, "stage1", 1), heartbeatBatch(redis));
                }
            }
            result.put("wall_s", Math.round(secs(t0)));
            report.print(s);
            Path out = report.write(root, s);
            System.out.printf("wrote %s (%.0f s in all)%n", out, secs(t0));
        }
    }

    /** Mean batch the stage I replicas report in {@code workers}, or NaN without heartbeats. */
    private static double heartbeatBatch(RedisStore redis) {
        double sum = 0;
        int n = 0;
        for (Map.Entry<String, String> e : redis.getHash("workers").entrySet()) {
            if (e.getKey().startsWith("stage1:")) {
                try {
                    sum += dev.iffleet.core.queue.Json.MAPPER.readTree(e.getValue()).path("mean_batch").asDouble();
                    n++;
                } catch (java.io.IOException ignored) {
                    // a malformed heartbeat counts as none
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static Map<String, String> with(Map<String, String> base, String k, String v) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put(k, v);
        return m;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static String f1(double d) {
        return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.1f", d);
    }
}
