package dev.iffleet.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iffleet.launcher.FleetClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code ./fleet jobs}, {@code ./fleet get ID} and {@code ./fleet cancel ID}: one request each. */
final class JobCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FleetClient client;
    private final PrintStream out;

    JobCommands(FleetClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    ExitCode jobs(CliArgs args) {
        List<String> query = new ArrayList<>();
        args.state().ifPresent(s -> query.add("state=" + encode(s)));
        args.limit().ifPresent(l -> query.add("limit=" + l));
        args.cursor().ifPresent(c -> query.add("cursor=" + encode(c)));
        String path = "/v1/jobs" + (query.isEmpty() ? "" : "?" + String.join("&", query));
        FleetClient.Reply r = client.get(path);
        if (r.status() == 404 || r.status() == 405) {
            throw new GatewayException(r.status(), "this gateway cannot list jobs (GET /v1/jobs answered HTTP "
                    + r.status() + "); it needs a gateway with the job listing");
        }
        if (r.status() != 200) {
            throw GatewayException.of("GET " + path, r);
        }
        JsonNode body = r.json();
        out.printf("%-36s  %-9s  %-7s  %s%n", "id", "status", "stage", "created");
        for (JsonNode job : body.path("jobs")) {
            long created = job.path("created_at").asLong();
            out.printf("%-36s  %-9s  %-7s  %s%n", job.path("id").asText(), job.path("status").asText(),
                    job.path("stage").asText("-"), created > 0 ? Instant.ofEpochMilli(created).toString() : "-");
        }
        String next = body.path("next_cursor").asText("");
        if (!next.isEmpty() && !body.path("next_cursor").isNull()) {
            out.println("more: ./fleet jobs --cursor " + next);
        }
        return ExitCode.SUCCEEDED;
    }

    /**
     * {@code ./fleet jobs stuck}: asks the gateway, not Redis, so the answer uses the deadlines and the consumer lag of
     * the reaper that acts on it, and works against a remote gateway as every other job command does.
     */
    ExitCode stuck() {
        String path = "/v1/jobs/stuck";
        FleetClient.Reply r = client.get(path);
        if (r.status() == 404 || r.status() == 405) {
            throw new GatewayException(r.status(), "this gateway cannot list stuck jobs (GET " + path + " answered HTTP "
                    + r.status() + "); it needs a gateway with the reaper");
        }
        if (r.status() != 200) {
            throw GatewayException.of("GET " + path, r);
        }
        JsonNode body = r.json();
        out.printf("%-36s  %-7s  %-12s  %-8s  %s%n", "id", "stage", "cause", "requeues", "why");
        for (JsonNode job : body.path("jobs")) {
            out.printf("%-36s  %-7s  %-12s  %-8d  %s%n", job.path("id").asText(), job.path("stage").asText(),
                    job.path("cause").asText(), job.path("requeues").asInt(), job.path("detail").asText());
        }
        JsonNode reaper = body.path("reaper");
        if (!reaper.path("enabled").asBoolean(true)) {
            out.println("note: this gateway's reaper is off (fleet.reaper.enabled=false): nothing re-queues these");
        }
        return ExitCode.SUCCEEDED;
    }

    ExitCode get(CliArgs args) throws IOException {
        String path = "/v1/jobs/" + encode(args.target());
        FleetClient.Reply r = client.get(path);
        if (r.status() == 404) {
            throw new GatewayException(404, "no job " + args.target() + " (unknown or expired)");
        }
        if (r.status() != 200) {
            throw GatewayException.of("GET " + path, r);
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r.json()));
        return ExitCode.SUCCEEDED;
    }

    ExitCode cancel(CliArgs args) {
        String path = "/v1/jobs/" + encode(args.target()) + "/cancel";
        FleetClient.Reply r = client.post(path);
        if (r.status() == 404) {
            throw new GatewayException(404, "no job " + args.target()
                    + " to cancel (unknown or expired, or this gateway cannot cancel yet): " + GatewayException.detail(r));
        }
        if (r.status() == 405) {
            throw new GatewayException(405, "this gateway cannot cancel jobs yet (POST " + path + " answered 405)");
        }
        if (r.status() == 409) {
            throw new GatewayException(409, "job " + args.target() + " cannot be canceled: " + GatewayException.detail(r));
        }
        if (r.status() / 100 != 2) {
            throw GatewayException.of("POST " + path, r);
        }
        String status = r.body().length == 0 ? "" : r.json().path("status").asText("");
        out.println("job " + args.target() + ": " + (status.isEmpty() ? "cancel requested" : status));
        return ExitCode.SUCCEEDED;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
