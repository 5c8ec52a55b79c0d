package dev.iffleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iffleet.fidelity.FidelityReport;
import dev.iffleet.fidelity.World;
import dev.iffleet.launcher.FleetClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Prompt fidelity and CPU speed of a trained pack through the whole fleet: runs held-out prompts one after another
 * at the pack's default settings (a fixed seed per prompt), keeps every job's 64/256/1024 px PNGs with the
 * caption, judges each with the fidelity analyser and prints fidelity by size and caption form, the checks that
 * failed, and per-stage model time and end-to-end latency. The first job (cold: TorchScript profiling runs on the
 * first call of each shape) is reported on its own and not counted in the timings.
 * Usage: {@code bench/run fidelity [pack=models/shapes] [prompts=models/shapes/heldout.txt] [count=100]
 * [seed=1000] [out=out/fidelity-bench]}.
 */
public final class FidelityBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] STAGES = {"encode", "stage1", "sr", "upscale"};

    private FidelityBench() {}

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, String> a = Args.parse(args);
        Path root = BenchFleet.root();
        Path pack = root.resolve(a.getOrDefault("pack", "models/shapes"));
        List<String> prompts = Files.readAllLines(root.resolve(a.getOrDefault("prompts", "models/shapes/heldout.txt")))
                .stream().map(String::trim).filter(p -> !p.isEmpty() && !p.startsWith("#")).toList();
        int count = Math.min(prompts.size(), Integer.parseInt(a.getOrDefault("count", String.valueOf(prompts.size()))));
        long seed = Long.parseLong(a.getOrDefault("seed", "1000"));
        Path out = root.resolve(a.getOrDefault("out", "out/fidelity-bench"));
        FidelityReport report = new FidelityReport(World.load(root.resolve("models/shapes/world.json")));
        Map<String, Stats> run = new LinkedHashMap<>();
        for (String s : STAGES) {
            run.put(s, new Stats());
        }
        Stats endToEnd = new Stats();
        String cold = "";
        try (BenchFleet bf = BenchFleet.start(EnumSet.allOf(dev.iffleet.launcher.Service.class), pack)) {
            FleetClient client = new FleetClient(bf.fleet.gatewayUrl());
            for (int i = 0; i < count; i++) {
                ObjectNode body = JSON.createObjectNode().put("prompt", prompts.get(i)).put("seed", seed + i);
                long t0 = System.nanoTime();
                JsonNode job = client.awaitDone(client.submit(body.toString()), Duration.ofMinutes(30), j -> {});
                long wall = (System.nanoTime() - t0) / 1_000_000;
                if (!job.path("status").asText().equals("succeeded")) {
                    throw new IllegalStateException("job failed: " + job);
                }
                Path dir = out.resolve(String.format("%03d", i));
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("caption.txt"), prompts.get(i) + "\n", StandardCharsets.UTF_8);
                for (String stage : new String[] {"stage1", "sr", "upscale"}) {
                    byte[] png = client.get(job.path("images").path(stage).asText()).body();
                    Files.write(dir.resolve(stage + ".png"), png);
                    report.add(dir.getFileName() + "/" + stage, prompts.get(i),
                            ImageIO.read(new ByteArrayInputStream(png)));
                }
                String line = timings(job, wall);
                System.out.printf("%3d/%d %s | %s%n", i + 1, count, line, prompts.get(i));
                if (i == 0) {
                    cold = line;
                    continue;
                }
                endToEnd.add(wall);
                for (String s : STAGES) {
                    run.get(s).add(job.path("metrics").path(s).path("run_ms").asLong());
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        System.out.printf("%nfidelity bench: %d held-out prompts, pack %s, seeds %d.., images in %s%n", count,
                root.relativize(pack), seed, root.relativize(out));
        System.out.print(report.format(30));
        System.out.printf("%nCPU speed (%d cores), pack defaults; first job (cold): %s%n",
                Runtime.getRuntime().availableProcessors(), cold);
        for (String s : STAGES) {
            System.out.printf("  %-8s model run ms  %s%n", s, run.get(s).summary());
        }
        System.out.printf("  end to end ms (submit to succeeded seen by polling)  %s%n", endToEnd.summary());
    }

    private static String timings(JsonNode job, long wall) {
        StringBuilder b = new StringBuilder();
        for (String s : STAGES) {
            b.append(s).append(' ').append(job.path("metrics").path(s).path("run_ms").asLong()).append(" ms, ");
        }
        return b.append("end to end ").append(wall).append(" ms").toString();
    }
}
