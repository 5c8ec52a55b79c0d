package dev.iffleet.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.model.PackManifest.TensorSpec;
import dev.iffleet.core.queue.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a pack's components on this runtime's device into a cost profile ({@link CostProfile#FORMAT}): each
 * component at a few batch sizes (the leading dimension of its inputs), at its stage's default size, median of a
 * few timed calls after {@value #WARMUP} warm-up calls per shape (TorchScript profiles new shapes first). Usage:
 * {@code java -cp "<worker>/target/quarkus-app/lib/main/*" dev.iffleet.core.model.CostProfiler PACK OUT.json
 * [device] [reps]}.
 */
public final class CostProfiler {

    static final int WARMUP = 3;

    private CostProfiler() {}

    public static void main(String[] args) throws Exception {
        ModelPack pack = ModelPack.load(Path.of(args[0]));
        String device = args.length > 2 ? args[2] : "cpu";
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Map<String, Object> components = new LinkedHashMap<>();
        try (ModelRuntime runtime = ModelRuntime.open(pack, new RuntimeSettings(device, "float32", 0))) {
            for (String name : pack.manifest().components().keySet()) {
                Stage stage = stageOf(pack, name);
                // the big-image components are slow on a CPU: fewer sizes keep the run short
                int[] batches = stage == Stage.ENCODE || stage == Stage.STAGE1 ? new int[] {1, 2, 4, 8} : new int[] {1, 2};
                Map<String, Double> ms = new LinkedHashMap<>();
                for (int b : batches) {
                    ms.put(Integer.toString(b), Math.round(10 * time(runtime, pack, name, stage, b, reps)) / 10.0);
                }
                components.put(name, Map.of("ms", ms));
                System.out.printf("%s: %s%n", name, ms);
            }
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("format", CostProfile.FORMAT);
        profile.put("name", pack.name() + "-" + device.replace(':', '-'));
        profile.put("description", "Measured by CostProfiler on " + Runtime.getRuntime().availableProcessors()
                + " cores, device " + device + ", float32, pack '" + pack.name() + "' at its stages' default sizes, "
                + Instant.now());
        profile.put("measured", Map.of("how", "median of " + reps + " calls after " + WARMUP + " warm-up calls per shape, through "
                + "this project's ModelRuntime (DJL 0.33, libtorch 2.5.1)", "batch",
                "the leading dimension of the component's inputs (UNets: images x2 with guidance)"));
        profile.put("components", components);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(Path.of(args[1]).toFile(), profile);
    }

    private static double time(ModelRuntime runtime, ModelPack pack, String name, Stage stage, int batch, int reps) {
        Component c = runtime.component(name);
        double[] t = new double[reps];
        for (int i = -WARMUP; i < reps; i++) {
            try (NDManager m = runtime.newJobManager()) {
                NDList in = inputs(m, pack, pack.component(name).inputs(), stage, batch);
                long t0 = System.nanoTime();
                NDArray out = c.call(in);
                out.toFloatArray(); // force the result, whatever the engine defers
                if (i >= 0) {
                    t[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        java.util.Arrays.sort(t);
        return t[reps / 2];
    }

    static NDList inputs(NDManager m, ModelPack pack, List<TensorSpec> specs, Stage stage, int batch) {
        NDList in = new NDList();
        PackManifest.StageSpec s = pack.stage(stage);
        for (TensorSpec spec : specs) {
            long[] dims = new long[spec.shape().size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = dim(spec.shape().get(i), s, batch);
            }
            DataType type = "int64".equals(spec.dtype()) ? DataType.INT64 : DataType.FLOAT32;
            in.add(m.zeros(new Shape(dims), type));
        }
        return in;
    }

    /** A symbolic dimension: B (any multiple: the batch is the leading dim), H/W the stage's size, h/w a quarter. */
    static long dim(Object d, PackManifest.StageSpec s, int batch) {
        if (d instanceof Number n) {
            return n.longValue();
        }
        String sym = d.toString();
        int k = 0;
        while (k < sym.length() && Character.isDigit(sym.charAt(k))) {
            k++;
        }
        long factor = k == 0 ? 1 : Long.parseLong(sym.substring(0, k));
        return switch (sym.substring(k)) {
            case "B" -> batch;
            case "H" -> factor * s.height();
            case "W" -> factor * s.width();
            case "h" -> factor * s.height() / 4;
            case "w" -> factor * s.width() / 4;
            default -> throw new IllegalArgumentException("unknown dimension '" + sym + "'");
        };
    }

    private static Stage stageOf(ModelPack pack, String component) {
        for (Stage s : Stage.values()) {
            PackManifest.StageSpec spec = pack.manifest().stages().get(s.id());
            if (spec != null && spec.components() != null && spec.components().containsValue(component)) {
                return s;
            }
        }
        return Stage.STAGE1; // e.g. the safety checker: priced at stage I's size
    }
}
