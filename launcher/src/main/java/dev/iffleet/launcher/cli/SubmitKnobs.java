package dev.iffleet.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/** Maps {@code ./fleet submit}'s mode options onto the job's JSON body; images go inline as base64. */
final class SubmitKnobs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SubmitKnobs() {}

    static void apply(ObjectNode body, Map<String, String> knobs) throws IOException {
        for (Map.Entry<String, String> k : knobs.entrySet()) {
            String v = k.getValue();
            switch (k.getKey()) {
                case "mode", "stop-after", "start-stage" -> body.put(k.getKey().replace('-', '_'), v);
                case "image", "mask" -> body.put(k.getKey(), base64(k.getKey(), v));
                case "strength" -> SubmitCommand.stage(body, "stage1").put("strength", decimal(k.getKey(), v));
                case "sr-strength" -> SubmitCommand.stage(body, "sr").put("strength", decimal(k.getKey(), v));
                case "guidance" -> SubmitCommand.stage(body, "stage1").put("guidance_scale", decimal(k.getKey(), v));
                case "num-images", "width", "height" -> body.put(k.getKey().replace('-', '_'), whole(k.getKey(), v));
                case "stage1-timesteps", "sr-timesteps" ->
                        schedule(SubmitCommand.stage(body, k.getKey().substring(0, k.getKey().indexOf('-'))), v);
                case "watermark", "clean-caption" -> body.put(k.getKey().replace('-', '_'), false);
                case "json" -> merge(body, v);
                default -> throw new CliArgs.UsageException("unknown option --" + k.getKey());
            }
        }
    }

    private static void schedule(ObjectNode stage, String v) {
        if (!v.matches("[0-9, ]+")) {
            stage.put("timesteps", v);
            return;
        }
        ArrayNode list = stage.putArray("timesteps");
        for (String t : v.split(",")) {
            if (!t.isBlank()) {
                list.add(Integer.parseInt(t.trim()));
            }
        }
    }

    private static void merge(ObjectNode body, String json) {
        JsonNode extra;
        try {
            extra = JSON.readTree(json);
        } catch (IOException e) {
            throw new CliArgs.UsageException("--json needs a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(extra instanceof ObjectNode o)) {
            throw new CliArgs.UsageException("--json needs a JSON object");
        }
        body.setAll(o);
    }

    private static String base64(String option, String file) throws IOException {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(file)));
        } catch (NoSuchFileException e) {
            throw new CliArgs.UsageException("--" + option + ": no such file " + file);
        }
    }

    private static double decimal(String option, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new CliArgs.UsageException("--" + option + " needs a number, got " + v);
        }
    }

    private static int whole(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new CliArgs.UsageException("--" + option + " needs a whole number, got " + v);
        }
    }
}
