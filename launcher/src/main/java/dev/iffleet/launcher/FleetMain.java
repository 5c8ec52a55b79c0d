package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iffleet.devstack.DevStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code ./fleet demo "prompt"}: starts Kafka, Redis and the five services, runs one job through the
 * gateway, writes its PNGs and prints where the time went. {@code ./fleet up}: starts it all and waits;
 * {@code status}, {@code down} and {@code compose} look at, stop and deploy such a fleet.
 */
public final class FleetMain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetMain() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("iffleet.repo.root", ".")).toAbsolutePath().normalize();
        String cmd = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : java.util.Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (cmd) {
                case "status" -> System.exit(StatusCommand.run(root, rest, System.out));
                case "down" -> System.exit(DownCommand.run(root, rest, System.out));
                case "compose" -> System.exit(ComposeCommand.run(rest, System.out));
                default -> runFleet(root, DemoOptions.parse(args));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("fleet: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
        }
    }

    private static void runFleet(Path root, DemoOptions opts) throws Exception {
        FleetUp up = new FleetUp(root, opts);
        if (!java.nio.file.Files.isRegularFile(opts.pack().resolve("pack.json"))) {
            throw new IllegalArgumentException("no model pack at " + opts.pack() + " (pack.json missing)");
        }
        up.checkNameFree();
        up.installSignalHandlers();
        try {
            long t0 = System.nanoTime();
            System.out.println("starting Kafka and Redis ...");
            DevStack stack = up.startStack();
            System.out.printf("  kafka %s, redis %s (%d ms)%n", stack.bootstrapServers(), stack.redisUri(), ms(t0));
            long t1 = System.nanoTime();
            System.out.println("starting gateway and workers (models warm up) ...");
            Fleet fleet = up.startFleet();
            System.out.printf("  ready in %d ms, logs in %s%n", ms(t1), up.logDir());
            if (fleet.service(Service.GATEWAY) != null) {
                System.out.println("  gateway " + fleet.gatewayUrl());
            }
            for (ServiceProcess p : fleet.services()) {
                System.out.printf("  %-18s pid %-8d port %-6d %s%n", p.name(), p.pid(), p.port(), p.device());
            }
            if (opts.up()) {
                System.out.println("fleet '" + fleet.name() + "' is up; ./fleet status, ./fleet down"
                        + (fleet.name().equals(Topics.DEFAULT_NAME) ? "" : " --name " + fleet.name())
                        + ", or Ctrl-C / SIGTERM to stop");
                Thread.currentThread().join();
            }
            if (!runDemo(fleet, opts)) {
                up.stop(); // not System.exit alone: that would leave the services running
                System.exit(1);
            }
        } catch (RuntimeException e) {
            if (!up.stopping()) { // else a signal stopped the fleet under our feet: no error of ours
                System.err.println("fleet: " + e.getMessage());
            }
            up.stop();
            System.exit(1);
        }
        up.stop();
    }

    /** Runs the demo job; false if it failed (said on stderr). */
    private static boolean runDemo(Fleet fleet, DemoOptions opts) throws IOException {
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
            return false;
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
            System.out.printf("  %-18s %6d MiB%n", p.name(), p.peakRssKb() / 1024);
        }
        return true;
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
