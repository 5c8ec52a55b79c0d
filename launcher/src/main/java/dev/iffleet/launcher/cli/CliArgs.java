package dev.iffleet.launcher.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The parsed command line of {@code ./fleet submit|jobs|cancel|get}; the API key never appears in {@code toString}. */
record CliArgs(String command, String url, Optional<String> apiKey, String target, Path out, Optional<Integer> size,
        Optional<Long> seed, Optional<String> negative, Map<String, Integer> steps, boolean follow,
        Optional<String> state, OptionalInt limit, Optional<String> cursor, Map<String, String> knobs) {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    static final String USAGE = """
            usage: ./fleet submit "PROMPT" [--out DIR] [--size 64|256|1024] [--seed N] [--negative TEXT]
                                  [--stage1-steps N] [--sr-steps N] [--upscale-steps N] [--wait | --no-wait]
                                  [--mode text_to_image|image_variation|inpainting|upscale] [--image FILE]
                                  [--mask FILE] [--strength S] [--sr-strength S] [--num-images N]
                                  [--width N --height N] [--stop-after stage1|sr|upscale] [--start-stage sr|upscale]
                                  [--stage1-timesteps NAME|t,t,..] [--sr-timesteps NAME|t,t,..]
                                  [--guidance G] [--no-watermark] [--no-clean-caption] [--json '{"more":"fields"}']
                   ./fleet jobs [--state queued|running|succeeded|failed|canceled] [--limit N] [--cursor C]
                   ./fleet jobs stuck   (jobs past a deadline of their stage, and why: the gateway's reaper)
                   ./fleet get ID
                   ./fleet cancel ID
            every command: [--url URL] (env IF_FLEET_URL, default http://127.0.0.1:8080)
                           [--api-key KEY] (env IF_FLEET_API_KEY, sent as Authorization: Bearer)
            submit waits by default: per-stage progress, then PNGs to --out (default ./out) as ID-STAGE.png.
            exit codes: 0 succeeded, 1 job failed or canceled, 2 usage error, 3 gateway unreachable or HTTP error""";

    private static final List<String> COMMANDS = List.of("submit", "jobs", "get", "cancel");

    /** Thrown for a command line that cannot be run; the CLI prints it with the usage and exits 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "CliArgs[" + command + " " + url + (apiKey.isPresent() ? " (api key set)" : "") + "]";
    }

    static CliArgs parse(String[] args, Map<String, String> env) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            throw new UsageException(args.length == 0 ? "a command is required" : "unknown command " + args[0]);
        }
        String command = args[0];
        String url = env.getOrDefault("IF_FLEET_URL", DEFAULT_URL);
        String apiKey = env.get("IF_FLEET_API_KEY");
        String target = null;
        Path out = Path.of("out");
        Integer size = null;
        Long seed = null;
        String negative = null;
        Map<String, Integer> steps = new LinkedHashMap<>();
        Map<String, String> knobs = new LinkedHashMap<>();
        boolean follow = true;
        String state = null;
        Integer limit = null;
        String cursor = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-watermark") || a.equals("--no-clean-caption")) {
                requireCommand(command, a, "submit");
                knobs.put(a.substring(5), "false");
                continue;
            }
            if (a.equals("--wait") || a.equals("--no-wait")) {
                requireCommand(command, a, "submit");
                follow = a.equals("--wait");
                continue;
            }
            if (!a.startsWith("--")) {
                if (target != null) {
                    throw new UsageException("one " + (command.equals("submit") ? "prompt (quote it)" : "job id")
                            + " only, got another: " + a);
                }
                target = a;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--url" -> url = v;
                case "--api-key" -> apiKey = v;
                case "--out" -> out = Path.of(requireCommand(command, a, "submit", v));
                case "--size" -> size = oneOf(requireCommand(command, a, "submit", v));
                case "--seed" -> seed = (long) number(a, requireCommand(command, a, "submit", v), 0);
                case "--negative" -> negative = requireCommand(command, a, "submit", v);
                case "--stage1-steps", "--sr-steps", "--upscale-steps" -> steps.put(
                        a.substring(2, a.length() - "-steps".length()),
                        (int) number(a, requireCommand(command, a, "submit", v), 1));
                case "--mode", "--image", "--mask", "--strength", "--sr-strength", "--num-images", "--width",
                        "--height", "--stop-after", "--start-stage", "--stage1-timesteps", "--sr-timesteps", "--guidance",
                        "--json" -> knobs.put(a.substring(2), requireCommand(command, a, "submit", v));
                case "--state" -> state = requireCommand(command, a, "jobs", v);
                case "--limit" -> limit = (int) number(a, requireCommand(command, a, "jobs", v), 1);
                case "--cursor" -> cursor = requireCommand(command, a, "jobs", v);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (command.equals("submit") && (target == null || target.isBlank()) && !"upscale".equals(knobs.get("mode"))) {
            throw new UsageException("submit needs a prompt (only --mode upscale may go without)");
        }
        if ((command.equals("get") || command.equals("cancel")) && target == null) {
            throw new UsageException(command + " needs a job id");
        }
        if (command.equals("jobs") && target != null && !target.equals("stuck")) {
            throw new UsageException("jobs takes no argument but stuck, got " + target);
        }
        if (command.equals("jobs") && target != null && (state != null || limit != null || cursor != null)) {
            throw new UsageException("jobs stuck takes no --state, --limit or --cursor");
        }
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
        return new CliArgs(command, url, Optional.ofNullable(apiKey), target, out, Optional.ofNullable(size),
                Optional.ofNullable(seed), Optional.ofNullable(negative), steps, follow, Optional.ofNullable(state),
                limit == null ? OptionalInt.empty() : OptionalInt.of(limit), Optional.ofNullable(cursor), knobs);
    }

    private static void requireCommand(String command, String option, String owner) {
        if (!command.equals(owner)) {
            throw new UsageException(option + " is an option of " + owner + ", not of " + command);
        }
    }

    private static String requireCommand(String command, String option, String owner, String value) {
        requireCommand(command, option, owner);
        return value;
    }

    private static int oneOf(String v) {
        return switch (v) {
            case "64", "256", "1024" -> Integer.parseInt(v);
            default -> throw new UsageException("--size must be 64, 256 or 1024, got " + v);
        };
    }

    private static long number(String option, String v, long min) {
        try {
            long n = Long.parseLong(v);
            if (n < min) {
                throw new UsageException(option + " must be at least " + min + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a whole number, got " + v);
        }
    }
}
