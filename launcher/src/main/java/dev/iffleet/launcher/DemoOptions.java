package dev.iffleet.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Command-line options of {@code ./fleet demo} and {@code ./fleet up}. */
record DemoOptions(boolean up, String prompt, Path out, Path pack, int size, Optional<Long> seed,
        Optional<String> negative, Map<String, Integer> steps, FleetArgs fleet) {

    static final String USAGE = """
            usage: ./fleet demo "PROMPT" [--out DIR] [--seed N] [--negative TEXT] [--size 64|256|1024]
                                         [--stage1-steps N] [--sr-steps N] [--upscale-steps N] [--pack DIR]
                   ./fleet up [--pack DIR] [fleet options]   (demo takes the fleet options too)
                   ./fleet status [--name NAME] [--kafka HOST:PORT] [--redis URI]
                   ./fleet down [--name NAME]
                   ./fleet compose [--replicas stage1=4,...] [--gpus stage1=1,2,3,4,...] > compose.replicas.yml
            """ + FleetArgs.USAGE;

    static DemoOptions parse(String[] args) {
        if (args.length == 0 || !(args[0].equals("demo") || args[0].equals("up"))) {
            throw new IllegalArgumentException("first argument must be demo, up, status, down or compose");
        }
        boolean up = args[0].equals("up");
        String prompt = null;
        Path out = Path.of("out");
        Path pack = Path.of("models/shapes");
        int size = 1024;
        Long seed = null;
        String negative = null;
        Map<String, Integer> steps = new LinkedHashMap<>();
        FleetArgs fleet = new FleetArgs();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                if (prompt != null) {
                    throw new IllegalArgumentException("one prompt only (quote it): " + a);
                }
                prompt = a;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--out" -> out = Path.of(v);
                case "--pack" -> pack = Path.of(v);
                case "--size" -> size = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--negative" -> negative = v;
                case "--stage1-steps" -> steps.put("stage1", Integer.parseInt(v));
                case "--sr-steps" -> steps.put("sr", Integer.parseInt(v));
                case "--upscale-steps" -> steps.put("upscale", Integer.parseInt(v));
                default -> {
                    if (!fleet.accept(a, v)) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        if (!up && (prompt == null || prompt.isBlank())) {
            throw new IllegalArgumentException("a prompt is required");
        }
        return new DemoOptions(up, prompt, out, pack, size, Optional.ofNullable(seed), Optional.ofNullable(negative), steps, fleet);
    }
}
