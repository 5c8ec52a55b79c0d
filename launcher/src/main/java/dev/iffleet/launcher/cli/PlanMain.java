package dev.iffleet.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.model.CostProfile;
import dev.iffleet.core.model.ModelPack;
import dev.iffleet.core.model.ModelUnavailableException;
import dev.iffleet.core.queue.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./fleet plan}: the replicas per stage (one GPU each) that balance the cascade for a target rate, from a
 * cost profile ({@code --profile}, with steps, guidance and batch) or from a {@code bench/run scale} result
 * ({@code --bench}, per-replica rates as measured). Pure computation: it starts nothing.
 */
public final class PlanMain {

    static final String USAGE = """
            usage: ./fleet plan (--profile FILE | --bench FILE) [--target IMAGES_PER_MIN] [--steps S1,SR,UP]
                                [--guidance G1,GSR,GUP] [--pack DIR] [--batch JOBS]
              --profile  cost profile JSON (e.g. models/profiles/h200-fp16.json)
              --bench    a bench/run scale result JSON (bench/results/scale-*.json): its per-replica rates
              --target   images per minute through the whole cascade (default 600)
              --steps    stage I / sr / upscale steps (default IF's 100,50,75, or the pack's with --pack)
              --guidance their guidance scales (default IF's 7,4,9, or the pack's with --pack)
              --pack     take steps and guidance defaults from this pack's pack.json
              --batch    jobs per model call the workers reach (fleet.worker.max-batch under load; default 1)""";

    private PlanMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("fleet plan: unexpected argument '" + args[i] + "'");
                err.println(USAGE);
                return 2;
            }
            a.put(args[i].substring(2), args[++i]);
        }
        try {
            double target = Double.parseDouble(a.getOrDefault("target", "600"));
            if (a.containsKey("bench") == a.containsKey("profile")) {
                throw new IllegalArgumentException("give exactly one of --profile and --bench");
            }
            CascadePlan plan;
            String basis;
            if (a.containsKey("profile")) {
                int[] steps = StageCosts.IF_STEPS.clone();
                double[] guidance = StageCosts.IF_GUIDANCE.clone();
                if (a.containsKey("pack")) {
                    ModelPack pack = ModelPack.load(Path.of(a.get("pack")));
                    Stage[] diffusion = {Stage.STAGE1, Stage.SR, Stage.UPSCALE};
                    for (int i = 0; i < 3; i++) {
                        steps[i] = pack.stage(diffusion[i]).steps();
                        guidance[i] = pack.stage(diffusion[i]).guidanceScale();
                    }
                }
                if (a.containsKey("steps")) {
                    steps = ints(a.get("steps"));
                }
                if (a.containsKey("guidance")) {
                    guidance = doubles(a.get("guidance"));
                }
                int batch = Integer.parseInt(a.getOrDefault("batch", "1"));
                CostProfile profile = CostProfile.load(Path.of(a.get("profile")));
                plan = CascadePlan.fromMsPerImage(target, StageCosts.msPerImage(profile, steps, guidance, batch));
                basis = String.format(Locale.ROOT, "profile '%s', steps %d/%d/%d, guidance %s/%s/%s, %d job(s) per model call",
                        profile.name(), steps[0], steps[1], steps[2], num(guidance[0]), num(guidance[1]),
                        num(guidance[2]), batch);
            } else {
                plan = CascadePlan.fromRates(target, benchRates(Path.of(a.get("bench"))));
                basis = "bench result " + a.get("bench") + " (per-replica rates as measured there)";
            }
            print(plan, basis, out);
            return 0;
        } catch (IllegalArgumentException | ModelUnavailableException | IOException e) {
            err.println("fleet plan: " + e.getMessage());
            return 2;
        }
    }

    /** A scale bench result's {@code per_replica_images_per_min}. */
    static Map<Stage, Double> benchRates(Path file) throws IOException {
        JsonNode rates = Json.MAPPER.readTree(file.toFile()).path("per_replica_images_per_min");
        Map<Stage, Double> out = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            if (rates.path(s.id()).isNumber()) {
                out.put(s, rates.path(s.id()).asDouble());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " has no per_replica_images_per_min (is it a bench/run scale result?)");
        }
        return out;
    }

    static void print(CascadePlan plan, String basis, PrintStream out) {
        out.printf(Locale.ROOT, "plan for %s images/min from %s%n", num(plan.targetPerMin()), basis);
        out.printf(Locale.ROOT, "%-8s %12s %16s %9s %17s %12s%n", "stage", "ms/image", "img/min/replica", "replicas",
                "capacity img/min", "utilisation");
        Stage tightest = null;
        for (Stage s : plan.replicas().keySet()) {
            double rate = plan.perReplicaPerMin().get(s);
            out.printf(Locale.ROOT, "%-8s %12.1f %16.1f %9d %17.1f %11.0f%%%n", s.id(), 60_000.0 / rate, rate,
                    plan.replicas().get(s), plan.capacityPerMin(s), 100 * plan.utilisation(s));
            if (tightest == null || plan.capacityPerMin(s) < plan.capacityPerMin(tightest)) {
                tightest = s;
            }
        }
        out.printf(Locale.ROOT, "total: %d replicas = %d GPUs (one per replica); sustains %.1f images/min (tightest: %s)%n",
                plan.gpus(), plan.gpus(), plan.capacityPerMin(), tightest == null ? "-" : tightest.id());
    }

    private static int[] ints(String csv) {
        String[] p = csv.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("expected three comma-separated values (stage I, sr, upscale): " + csv);
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            v[i] = Integer.parseInt(p[i].trim());
        }
        return v;
    }

    private static double[] doubles(String csv) {
        String[] p = csv.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("expected three comma-separated values (stage I, sr, upscale): " + csv);
        }
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            v[i] = Double.parseDouble(p[i].trim());
        }
        return v;
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
