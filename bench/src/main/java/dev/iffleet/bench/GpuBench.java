package dev.iffleet.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.model.Component;
import dev.iffleet.core.model.ModelPack;
import dev.iffleet.core.model.ModelRuntime;
import dev.iffleet.core.model.RuntimeSettings;
import dev.iffleet.core.queue.Json;
import dev.iffleet.diffusion.NoiseSource;
import dev.iffleet.diffusion.sampler.Stage1Sampler;
import dev.iffleet.diffusion.sampler.StepListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stage's GPU figures through the project's own runtime, as one worker would see them: model call ms
 * (ModelRuntime + Component, DJL), CUDA copies and syncs per call and per sampler step (with the cudacount
 * shim), GPU memory in use, and the stage-I sampler's time per step (Stage1Sampler, loop included).
 *
 * <pre>GpuBench pack=DIR spec=bench.json stage=stage1 [device=gpu:0] [iters=10] [warmup=3] [runs=2] out=FILE</pre>
 *
 * The spec (written by bench/gpu_bench.py, which runs the same entries in PyTorch and merges both) lists the
 * calls per component (input shapes) and the sampler settings. Prints and writes JSON; asserts nothing.
 */
public final class GpuBench {

    private final Map<String, String> args;
    private final JsonNode spec;
    private final Device device;
    private final CudaCounters counters = CudaCounters.open();
    private final int iters;
    private final int warmup;

    private GpuBench(Map<String, String> args) throws Exception {
        this.args = args;
        this.spec = Json.MAPPER.readTree(Path.of(args.get("spec")).toFile());
        this.device = new RuntimeSettings(args.getOrDefault("device", "gpu:0"), "float32", 0).djlDevice();
        this.iters = Integer.parseInt(args.getOrDefault("iters", "10"));
        this.warmup = Integer.parseInt(args.getOrDefault("warmup", "3"));
    }

    public static void main(String[] argv) throws Exception {
        GpuBench bench = new GpuBench(Args.parse(argv));
        Map<String, Object> result = bench.run();
        String json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(json);
        if (bench.args.containsKey("out")) {
            Files.writeString(Path.of(bench.args.get("out")), json);
        }
    }

    private Map<String, Object> run() {
        String stage = args.get("stage");
        JsonNode stageSpec = spec.path("stages").path(stage);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stage", stage);
        out.put("device", device.toString());
        ModelPack pack = ModelPack.load(Path.of(args.get("pack")));
        // one runtime per process, as a worker: the first memory reading includes the CUDA context
        try (ModelRuntime runtime = ModelRuntime.open(pack, new RuntimeSettings(args.getOrDefault("device", "gpu:0"),
                "float32", 0))) {
            long base = usedBytes();
            out.put("gpu_used_before_load_mib", base / 1048576.0);
            List<Object> calls = new ArrayList<>();
            for (JsonNode call : spec.path("calls")) {
                if (contains(stageSpec.path("components"), call.path("component").asText())) {
                    calls.add(call(runtime, call));
                }
            }
            out.put("calls", calls);
            if (stageSpec.has("sampler")) {
                out.put("sampler", sampler(runtime, stageSpec.path("sampler")));
            }
            out.put("gpu_used_mib", usedBytes() / 1048576.0);
            out.put("gpu_worker_mib", (usedBytes() - base) / 1048576.0);
        }
        return out;
    }

    private Map<String, Object> call(ModelRuntime runtime, JsonNode call) {
        Component c = runtime.component(call.path("component").asText());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", call.path("name").asText());
        try (NDManager m = runtime.newJobManager()) {
            NDList inputs = inputs(m, call.path("inputs"));
            long t0 = System.nanoTime();
            for (int i = 0; i < warmup; i++) {
                sync(c.call(inputs));
            }
            r.put("warmup_s", (System.nanoTime() - t0) / 1e9);
            counters.reset();
            t0 = System.nanoTime();
            NDArray last = null;
            for (int i = 0; i < iters; i++) {
                NDArray o = c.call(inputs);
                if (last != null) {
                    last.close();
                }
                last = o;
            }
            Map<String, Double> counts = counters.read(iters);
            sync(last);
            r.put("ms", (System.nanoTime() - t0) / 1e6 / iters);
            r.put("per_call", counts);
            r.put("gpu_used_mib", usedBytes() / 1048576.0);
        }
        return r;
    }

    /** Stage I text-to-image through Stage1Sampler at each batch, loop included; time per step. */
    private List<Object> sampler(ModelRuntime runtime, JsonNode s) {
        Component unet = runtime.component(s.path("component").asText());
        int steps = s.path("steps").asInt();
        int size = s.path("size").asInt();
        int width = s.path("width").asInt();
        float guidance = (float) s.path("guidance").asDouble();
        int runs = Integer.parseInt(args.getOrDefault("runs", "2"));
        int[] timesteps = new int[steps];
        for (int i = 0; i < steps; i++) {
            timesteps[i] = (int) Math.round(999.0 * (steps - 1 - i) / Math.max(1, steps - 1));
        }
        List<Object> out = new ArrayList<>();
        for (JsonNode jobsNode : s.path("jobs")) {
            int jobs = jobsNode.asInt();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("jobs", jobs);
            try (NDManager m = runtime.newJobManager()) {
                NDArray text = m.randomNormal(new Shape(jobs, 77, width));
                NDArray neg = m.randomNormal(new Shape(jobs, 77, width));
                long[] seeds = new long[jobs];
                for (int i = 0; i < jobs; i++) {
                    seeds[i] = 1000 + i;
                }
                double best = Double.MAX_VALUE;
                Map<String, Double> counts = null;
                for (int run = 0; run <= runs; run++) { // run 0 warms up
                    counters.reset();
                    long t0 = System.nanoTime();
                    NDArray x = Stage1Sampler.sample(m, text, neg, timesteps, guidance, size, size,
                            NoiseSource.perImage(seeds), in -> unet.call(in), StepListener.NONE);
                    Map<String, Double> c = counters.read(steps);
                    sync(x);
                    double ms = (System.nanoTime() - t0) / 1e6 / steps;
                    if (run > 0 && ms < best) {
                        best = ms;
                        counts = c;
                    }
                }
                r.put("ms_per_step", best);
                r.put("per_step", counts);
            }
            out.add(r);
        }
        return out;
    }

    private static NDList inputs(NDManager m, JsonNode specs) {
        NDList list = new NDList();
        for (JsonNode in : specs) {
            long[] dims = new long[in.path("shape").size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = in.path("shape").get(i).asLong();
            }
            Shape shape = new Shape(dims);
            if (in.path("dtype").asText().equals("int64")) {
                long[] v = new long[(int) shape.size()];
                java.util.Arrays.fill(v, in.path("fill").asLong());
                list.add(m.create(v, shape));
            } else {
                list.add(m.randomNormal(shape));
            }
        }
        return list;
    }

    /** Waits for the GPU by reading one value of the result back (one small copy, outside the counted calls). */
    private static void sync(NDArray a) {
        a.flatten().get(0).toFloatArray();
        a.close();
    }

    private long usedBytes() {
        return device.isGpu() ? CudaUtils.getGpuMemory(device).getUsed() : 0;
    }

    private static boolean contains(JsonNode array, String s) {
        for (JsonNode n : array) {
            if (n.asText().equals(s)) {
                return true;
            }
        }
        return false;
    }
}
