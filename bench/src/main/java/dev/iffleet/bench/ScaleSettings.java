package dev.iffleet.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The scale bench's knobs; {@code quick} picks smaller job counts so the whole run stays under five minutes. */
record ScaleSettings(boolean quick, String pack, String profile, int stage1Steps, int srSteps, int upscaleSteps,
        int inflight, int jobsPerReplica, int serialJobs, boolean shapes, int shapesSteps, int shapesJobs, int side) {

    static ScaleSettings of(boolean quick, Map<String, String> a) {
        return new ScaleSettings(quick,
                a.getOrDefault("pack", "models/shapes"),
                a.getOrDefault("profile", "models/profiles/h200-fp16.json"),
                Integer.parseInt(a.getOrDefault("stage1_steps", quick ? "25" : "50")),
                Integer.parseInt(a.getOrDefault("sr_steps", "2")),
                Integer.parseInt(a.getOrDefault("upscale_steps", "2")),
                Integer.parseInt(a.getOrDefault("inflight", "8")),
                Integer.parseInt(a.getOrDefault("jobs", quick ? "10" : "30")),
                Integer.parseInt(a.getOrDefault("serial", quick ? "5" : "15")),
                Boolean.parseBoolean(a.getOrDefault("shapes", quick ? "false" : "true")),
                Integer.parseInt(a.getOrDefault("shapes_steps", quick ? "5" : "10")),
                Integer.parseInt(a.getOrDefault("shapes_jobs", quick ? "8" : "16")),
                Integer.parseInt(a.getOrDefault("side", "16")));
    }

    /**
     * Stopping after stage I, so stage I is the bottleneck of the throughput runs: on a small CPU the sr worker's own
     * tensor work at 256 px (not simulated) would otherwise cap the cascade below a few stage I replicas. The images
     * are {@code side} px (16 by default): the simulated call costs the profile's 64 px time whatever the size, and
     * the sampler's own tensor maths, which a GPU runs in 1.2-1.75 ms per step (bench/run gpu), then costs this CPU
     * about as little instead of ~16 ms per step at 64 px, times every replica sharing two cores.
     */
    String stage1Body() {
        return """
                {"prompt": "a red circle above a blue square", "output_size": 64, "width": %d, "height": %d,
                 "stage1": {"steps": %d}}""".formatted(side, side, stage1Steps);
    }

    /** The whole cascade to 1024 px, for hops and overhead per stage. */
    String fullBody() {
        return """
                {"prompt": "a red circle above a blue square", "output_size": 1024, "stage1": {"steps": %d},
                 "sr": {"steps": %d}, "upscale": {"steps": %d}}""".formatted(stage1Steps, srSteps, upscaleSteps);
    }

    /** Stage I only, for the real shapes pack on this CPU. */
    String shapesBody() {
        return """
                {"prompt": "a red circle above a blue square", "output_size": 64, "stage1": {"steps": %d}}"""
                .formatted(shapesSteps);
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("quick", quick);
        m.put("pack", pack);
        m.put("profile", profile);
        m.put("steps", Map.of("stage1", stage1Steps, "sr", srSteps, "upscale", upscaleSteps));
        m.put("inflight", inflight);
        m.put("jobs_per_replica", jobsPerReplica);
        m.put("serial_jobs", serialJobs);
        m.put("shapes", shapes);
        m.put("shapes_steps", shapesSteps);
        m.put("shapes_jobs", shapesJobs);
        m.put("stage1_side", side);
        return m;
    }
}
