package dev.iffleet.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iffleet.devstack.DevStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code ./fleet demo "prompt"}: starts Kafka, Redis and the five services, runs one job through the
 * gateway, writes its PNGs and prints where the time went. {@code ./fleet up}: starts it all and waits.
 */
public final class FleetMain {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY = Duration.ofMinutes(5);

    private FleetMain() {}

    public static void main(String[] args) throws Exception {
        DemoOptions opts;
        try {
            opts = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fleet: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        Path root = Path.of(System.getProperty("iffleet.repo.root", ".")).toAbsolutePath().normalize();
        Path work = root.resolve(".fleet").resolve("run-" + ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        System.out.println("starting Kafka and Redis ...");
        try (DevStack stack = DevStack.start(work)) {
            System.out.printf("  kafka %s, redis %s (%d ms)%n", stack.bootstrapServers(), stack.redisUri(), ms(t0));
            long t1 = System.nanoTime();
            System.out.println("starting gateway and workers (models warm up) ...");
            try (Fleet fleet = Fleet.start(stack, root, opts.pack(), work.resolve("logs"), Map.of(), READY)) {
                System.out.printf("  ready in %d ms, gateway %s, logs in %s%n", ms(t1), fleet.gatewayUrl(), work.resolve("logs"));
                if (opts.up()) {
                    System.out.println("fleet is up; press Ctrl-C to stop");
                    Thread.currentThread().join();
                }
                runDemo(fleet, opts);
            }
        }
    }

    private static void runDemo(Fleet fleet, DemoOptions opts) throws IOException {
        FleetClient client = new FleetClient(fleet.gatewayUrl());
        ObjectNode body = JSON.createObjectNode().put("prompt", opts.prompt()).put("output_size", opts.size());
        opts.seed().ifPresent(s -> body.put("seed", s));
        opts.negative().ifPresent(n -> body.put("negative_prompt", n));
        opts.steps().forEach((stage, steps) -> body.putObject(stage).put("steps", steps));
        long t0 = System.nanoTime();
        String id = client.submit(body.toString());
        System.out.printf("job %s submitted: \"%s\"%n", id, opts.prompt());
        ProgressLine progress = new ProgressLine();
        JsonNode job = client.awaitDone(id, Duration.ofMinutes(30), progress::show);
        progress.end();
        long wall = ms(t0);
        if (!job.path("status").asText().equals("succeeded")) {
            System.err.println("job failed: " + job.path("error").asText());
            System.exit(1);
        }
        Files.createDirectories(opts.out());
        System.out.println();
        System.out.printf("%-8s %10s %10s %8s %10s  %s%n", "stage", "queued ms", "run ms", "io ms", "hop ms", "image");
        JsonNode metrics = job.path("metrics");
        for (String stage : new String[] {"encode", "stage1", "sr", "upscale"}) {
            JsonNode m = metrics.path(stage);
            if (m.isMissingNode()) {
                continue;
            }
            String file = "";
            if (job.path("images").has(stage)) {
                byte[] png = client.get(job.path("images").path(stage).asText()).body();
                Path out = opts.out().resolve(stage + "-" + sizeOf(stage) + ".png");
                Files.write(out, png);
                file = out.toString();
            }
            long queued = m.path("queued_ms").asLong();
            long io = m.path("io_ms").asLong();
            System.out.printf("%-8s %10d %10d %8d %10d  %s%n", stage, queued, m.path("run_ms").asLong(), io, queued + io, file);
        }
        System.out.printf("%nend to end %d ms (submit to succeeded, as seen by polling)%n", wall);
        System.out.println("peak RSS per service:");
        for (ServiceProcess p : fleet.services()) {
            System.out.printf("  %-16s %6d MiB%n", p.service().module(), p.peakRssKb() / 1024);
        }
    }

    private static int sizeOf(String stage) {
        return switch (stage) {
            case "stage1" -> 64;
            case "sr" -> 256;
            default -> 1024;
        };
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** Shows each stage as it starts and, on a terminal, its step counter updated in place. */
    private static final class ProgressLine {
        private final boolean tty = System.console() != null;
        private String stage = "";
        private String step = "";

        void show(JsonNode job) {
            String current = job.path("stage").asText("");
            if (!current.isEmpty() && !current.equals(stage)) {
                end();
                stage = current;
                step = "";
                System.out.print("  " + stage);
                System.out.flush();
            }
            JsonNode p = job.path("progress");
            if (tty && p.path("stage").asText().equals(stage)) {
                String now = " step " + p.path("step").asInt() + "/" + p.path("total").asInt();
                if (!now.equals(step)) {
                    System.out.print("\r  " + stage + now);
                    System.out.flush();
                    step = now;
                }
            }
        }

        void end() {
            if (!stage.isEmpty()) {
                System.out.println();
            }
        }
    }
}
