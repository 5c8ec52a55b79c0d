package dev.iffleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.launcher.FleetClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a job's time goes, stage by stage: runs N jobs one after another through the whole fleet and
 * prints percentiles of queue wait, Redis I/O and model time per stage, and the per-hop overhead
 * (queue wait + I/O). The first {@code warmup} jobs are not counted (producer and consumer start-up).
 * Usage: {@code bench/run hop [jobs=30] [warmup=3] [steps=S1,SR,UP]}.
 */
public final class HopBench {

    private static final String[] STAGES = {"encode", "stage1", "sr", "upscale"};

    private HopBench() {}

    public static void main(String[] args) {
        Map<String, String> a = Args.parse(args);
        int jobs = Integer.parseInt(a.getOrDefault("jobs", "30"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "3"));
        String[] steps = a.getOrDefault("steps", "100,50,75").split(",");
        String body = """
                {"prompt": "a red circle above a blue square", "stage1": {"steps": %s}, "sr": {"steps": %s},
                 "upscale": {"steps": %s}}""".formatted(steps[0], steps[1], steps[2]);
        Map<String, Stats> queued = new LinkedHashMap<>();
        Map<String, Stats> io = new LinkedHashMap<>();
        Map<String, Stats> run = new LinkedHashMap<>();
        Map<String, Stats> hop = new LinkedHashMap<>();
        for (String s : STAGES) {
            queued.put(s, new Stats());
            io.put(s, new Stats());
            run.put(s, new Stats());
            hop.put(s, new Stats());
        }
        Stats endToEnd = new Stats();
        try (BenchFleet bf = BenchFleet.start()) {
            FleetClient client = new FleetClient(bf.fleet.gatewayUrl());
            for (int i = 0; i < warmup + jobs; i++) {
                long t0 = System.nanoTime();
                JsonNode job = client.awaitDone(client.submit(body), Duration.ofMinutes(10), j -> {});
                long wall = (System.nanoTime() - t0) / 1_000_000;
                if (!job.path("status").asText().equals("succeeded")) {
                    throw new IllegalStateException("job failed: " + job);
                }
                if (i < warmup) {
                    continue;
                }
                endToEnd.add(wall);
                for (String s : STAGES) {
                    JsonNode m = job.path("metrics").path(s);
                    queued.get(s).add(m.path("queued_ms").asLong());
                    io.get(s).add(m.path("io_ms").asLong());
                    run.get(s).add(m.path("run_ms").asLong());
                    JsonNode metrics = job.path("metrics");
                    Long h = Hops.hop(s, (st, f) -> metrics.path(st).hasNonNull(f) ? metrics.path(st).path(f).asLong()
                            : null, job.path("created_at").asLong());
                    hop.get(s).add(h == null ? 0 : h);
                }
            }
        }
        System.out.printf("%nhop bench: %d jobs (after %d warm-up), steps %s, tiny pack, CPU, %d cores%n", jobs, warmup,
                String.join("/", steps), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-8s | %-34s | %-34s | %-34s | %-34s%n", "stage (ms)", "queued (Kafka hop)", "redis io",
                "hop (model end to model start)", "model run");
        for (String s : STAGES) {
            System.out.printf("%-10s | %s | %s | %s | %s%n", s, queued.get(s).summary(), io.get(s).summary(),
                    hop.get(s).summary(), run.get(s).summary());
        }
        System.out.printf("end to end (submit to succeeded seen by 200 ms polling): %s%n", endToEnd.summary());
    }
}
