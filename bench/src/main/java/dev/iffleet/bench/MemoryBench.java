package dev.iffleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.launcher.FleetClient;
import dev.iffleet.launcher.ServiceProcess;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Does a worker's memory grow with the number of jobs? Runs {@code jobs} full-cascade jobs (few steps, so
 * the count is high) with {@code inflight} jobs queued at a time, and prints each service's resident set
 * size every {@code every} jobs. Each job opens and closes one NDManager per stage: native tensors that
 * leaked would show as a steady climb. Usage: {@code bench/run memory [jobs=1000] [every=100] [inflight=4]}.
 */
public final class MemoryBench {

    private MemoryBench() {}

    public static void main(String[] args) {
        Map<String, String> a = Args.parse(args);
        int jobs = Integer.parseInt(a.getOrDefault("jobs", "1000"));
        int every = Integer.parseInt(a.getOrDefault("every", "100"));
        int inflight = Integer.parseInt(a.getOrDefault("inflight", "4"));
        String body = """
                {"prompt": "memory %d", "stage1": {"steps": 2}, "sr": {"steps": 1}, "upscale": {"steps": 1}}""";
        try (BenchFleet bf = BenchFleet.start()) {
            FleetClient client = new FleetClient(bf.fleet.gatewayUrl());
            List<ServiceProcess> services = bf.fleet.services();
            System.out.printf("%8s", "jobs");
            services.forEach(s -> System.out.printf(" %16s", s.service().module()));
            System.out.printf("   (RSS MiB, and in brackets RSS minus the committed Java heap: native memory)%n");
            print(0, services);
            Deque<String> pending = new ArrayDeque<>();
            int submitted = 0;
            int done = 0;
            long t0 = System.nanoTime();
            while (done < jobs) {
                while (submitted < jobs && pending.size() < inflight) {
                    pending.add(client.submit(body.formatted(submitted++)));
                }
                JsonNode job = client.awaitDone(pending.poll(), Duration.ofMinutes(5), j -> {});
                if (!job.path("status").asText().equals("succeeded")) {
                    throw new IllegalStateException("job failed: " + job);
                }
                done++;
                if (done % every == 0) {
                    print(done, services);
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d jobs in %.0f s (%.2f jobs/s)%n", jobs, secs, jobs / secs);
        }
    }

    private static void print(int jobs, List<ServiceProcess> services) {
        System.out.printf("%8d", jobs);
        for (ServiceProcess s : services) {
            long rss = s.rssKb().orElse(-1) / 1024;
            long heap = JavaHeap.committedKb(s.pid()) / 1024;
            System.out.printf(" %16s", rss + " [" + (heap >= 0 ? rss - heap : -1) + "]");
        }
        System.out.println();
    }
}
