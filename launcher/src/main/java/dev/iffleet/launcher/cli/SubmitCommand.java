package dev.iffleet.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iffleet.launcher.FleetClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ./fleet submit}: submits a job, follows its stages by polling, then downloads its images. */
final class SubmitCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FleetClient client;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean tty;
    private final Duration pollEvery;

    SubmitCommand(FleetClient client, PrintStream out, PrintStream err, boolean tty, Duration pollEvery) {
        this.client = client;
        this.out = out;
        this.err = err;
        this.tty = tty;
        this.pollEvery = pollEvery;
    }

    static String body(CliArgs args) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (args.target() != null) {
            body.put("prompt", args.target());
        }
        args.size().ifPresent(s -> body.put("output_size", s));
        args.seed().ifPresent(s -> body.put("seed", s));
        args.negative().ifPresent(n -> body.put("negative_prompt", n));
        args.steps().forEach((stage, steps) -> stage(body, stage).put("steps", steps));
        SubmitKnobs.apply(body, args.knobs());
        return body.toString();
    }

    static ObjectNode stage(ObjectNode body, String stage) {
        return body.has(stage) ? (ObjectNode) body.get(stage) : body.putObject(stage);
    }

    ExitCode run(CliArgs args) throws IOException, InterruptedException {
        FleetClient.Reply submitted = client.post("/v1/jobs", body(args));
        if (submitted.status() != 202 && submitted.status() != 200) {
            throw GatewayException.of("POST /v1/jobs", submitted);
        }
        String id = submitted.json().path("id").asText();
        out.println("job " + id + " submitted");
        if (!args.follow()) {
            return ExitCode.SUCCEEDED;
        }
        JsonNode job = follow(id);
        String status = job.path("status").asText();
        if (!status.equals("succeeded")) {
            String error = job.path("error").asText("");
            err.println("job " + id + " " + status + (error.isEmpty() ? "" : ": " + error));
            return ExitCode.forJobStatus(status);
        }
        Map<String, Path> files = download(id, outputs(job), args.out());
        printMetrics(job.path("metrics"), files);
        return ExitCode.SUCCEEDED;
    }

    private JsonNode follow(String id) throws InterruptedException {
        StageProgress progress = new StageProgress(out, tty);
        while (true) {
            FleetClient.Reply r = client.get("/v1/jobs/" + id);
            if (r.status() != 200) {
                progress.end();
                throw GatewayException.of("GET /v1/jobs/" + id, r);
            }
            JsonNode job = r.json();
            progress.update(job);
            if (ExitCode.isFinal(job.path("status").asText())) {
                progress.end();
                return job;
            }
            Thread.sleep(pollEvery.toMillis());
        }
    }

    /** The job's {@code outputs}; a gateway that predates batches lists only {@code images} (stage to URL). */
    static JsonNode outputs(JsonNode job) {
        if (job.has("outputs")) {
            return job.path("outputs");
        }
        var list = JSON.createArrayNode();
        job.path("images").fields().forEachRemaining(e ->
                list.addObject().put("stage", e.getKey()).put("index", 0).put("url", e.getValue().asText()));
        return list;
    }

    /** Every delivered image: {@code ID-STAGE.png} for the first of a stage, {@code ID-STAGE-N.png} for the rest. */
    private Map<String, Path> download(String id, JsonNode outputs, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Path> files = new LinkedHashMap<>();
        for (JsonNode output : outputs) {
            String url = output.path("url").asText();
            FleetClient.Reply png = client.get(url);
            if (png.status() != 200) {
                throw GatewayException.of("GET " + url, png);
            }
            String stage = output.path("stage").asText();
            int index = output.path("index").asInt();
            Path file = dir.resolve(id + "-" + stage + (index == 0 ? "" : "-" + index) + ".png");
            Files.write(file, png.body());
            if (output.path("flagged").asBoolean()) {
                err.println(stage + " image " + index + " was flagged by the safety checker and replaced with black");
            }
            files.putIfAbsent(stage, file);
        }
        return files;
    }

    private void printMetrics(JsonNode metrics, Map<String, Path> files) {
        out.printf("%-8s %10s %10s %8s  %s%n", "stage", "queued ms", "run ms", "io ms", "image");
        for (String stage : StageProgress.STAGES) {
            JsonNode m = metrics.path(stage);
            if (m.isMissingNode()) {
                continue;
            }
            Path file = files.get(stage);
            out.printf("%-8s %10d %10d %8d  %s%n", stage, m.path("queued_ms").asLong(), m.path("run_ms").asLong(),
                    m.path("io_ms").asLong(), file == null ? "" : file.toString());
        }
    }
}
