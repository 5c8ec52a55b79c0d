package dev.iffleet.bench;

import dev.iffleet.launcher.FleetClient;
import dev.iffleet.launcher.Service;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast the gateway accepts work: Kafka, Redis and the gateway alone (no workers, so jobs only queue),
 * {@code warmup} submissions one by one, then {@code concurrency} clients each POSTing small valid jobs
 * back to back for {@code seconds}. Prints submit latency percentiles (request sent to 202 received) and
 * sustained submissions per second. Usage: {@code bench/run submit [seconds=20] [concurrency=8] [warmup=200]}.
 */
public final class SubmitBench {

    private static final String BODY = """
            {"prompt": "submit bench %d", "output_size": 64, "stage1": {"steps": 1}}""";

    private SubmitBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
        int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "8"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "200"));
        AtomicLong sequence = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Stats latencyUs = new Stats();
        long elapsedNs;
        try (BenchFleet bf = BenchFleet.start(EnumSet.of(Service.GATEWAY))) {
            String url = bf.fleet.gatewayUrl();
            FleetClient warm = new FleetClient(url);
            for (int i = 0; i < warmup; i++) {
                warm.submit(BODY.formatted(sequence.incrementAndGet()));
            }
            System.out.printf("%d warm-up submissions done; %d clients for %d s ...%n", warmup, concurrency, seconds);
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            long start = System.nanoTime();
            long deadline = start + seconds * 1_000_000_000L;
            List<Future<Stats>> clients = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                clients.add(pool.submit(() -> submitUntil(new FleetClient(url), deadline, sequence, errors)));
            }
            for (Future<Stats> f : clients) {
                latencyUs.addAll(f.get());
            }
            elapsedNs = System.nanoTime() - start;
            pool.shutdown();
        }
        double perSecond = latencyUs.count() / (elapsedNs / 1e9);
        System.out.printf("%nsubmit bench: gateway alone (Kafka + Redis, no workers), %d clients, %.1f s, %d cores%n",
                concurrency, elapsedNs / 1e9, Runtime.getRuntime().availableProcessors());
        System.out.printf("accepted %d (202), errors %d%n", latencyUs.count(), errors.get());
        System.out.printf("latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", latencyUs.percentile(50) / 1000.0,
                latencyUs.percentile(90) / 1000.0, latencyUs.percentile(99) / 1000.0, latencyUs.percentile(100) / 1000.0);
        System.out.printf("sustained: %.0f submissions/s%n", perSecond);
    }

    /** One client: POSTs jobs back to back until the deadline, timing each accepted one in microseconds. */
    private static Stats submitUntil(FleetClient client, long deadline, AtomicLong sequence, AtomicLong errors) {
        Stats stats = new Stats();
        while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            FleetClient.Reply r = client.post("/v1/jobs", BODY.formatted(sequence.incrementAndGet()));
            long us = (System.nanoTime() - t0) / 1000;
            if (r.status() == 202) {
                stats.add(us);
            } else if (errors.incrementAndGet() <= 5) {
                System.err.printf("submit answered %d: %s%n", r.status(), new String(r.body()));
            }
        }
        return stats;
    }
}
