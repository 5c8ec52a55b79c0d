package dev.iffleet.launcher.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.iffleet.launcher.FleetClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code ./fleet submit|jobs|get|cancel}: a command-line client of any gateway, authenticated with an
 * API key when one is given. Exit codes are those of {@link ExitCode}.
 */
public final class CliMain {

    static final Duration POLL_EVERY = Duration.ofMillis(250);

    private CliMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, System.console() != null, POLL_EVERY));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean tty,
            Duration pollEvery) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(CliArgs.USAGE);
            return ExitCode.SUCCEEDED.code();
        }
        CliArgs cli;
        try {
            cli = CliArgs.parse(args, env);
        } catch (CliArgs.UsageException e) {
            err.println("fleet: " + e.getMessage());
            err.println(CliArgs.USAGE);
            return ExitCode.USAGE.code();
        }
        FleetClient client = new FleetClient(cli.url());
        if (cli.apiKey().isPresent()) {
            client = client.withApiKey(cli.apiKey().get());
        }
        try {
            ExitCode code = switch (cli.command()) {
                case "submit" -> new SubmitCommand(client, out, err, tty, pollEvery).run(cli);
                case "jobs" -> cli.target() != null ? new JobCommands(client, out).stuck()
                        : new JobCommands(client, out).jobs(cli);
                case "get" -> new JobCommands(client, out).get(cli);
                case "cancel" -> new JobCommands(client, out).cancel(cli);
                default -> throw new IllegalStateException(cli.command());
            };
            return code.code();
        } catch (GatewayException e) {
            err.println("fleet: " + e.getMessage());
            return ExitCode.GATEWAY.code();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof JsonProcessingException) {
                err.println("fleet: the gateway at " + cli.url() + " answered something that is not JSON: " + e.getMessage());
                return ExitCode.GATEWAY.code();
            }
            err.println("fleet: cannot reach the gateway at " + cli.url() + ": " + describe(e.getCause()));
            return ExitCode.GATEWAY.code();
        } catch (IllegalArgumentException e) {
            // a malformed URL or a URL's missing scheme: no gateway can be reached there
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("fleet: cannot reach the gateway at " + cli.url() + ": " + describe(cause));
            return ExitCode.GATEWAY.code();
        } catch (IOException e) {
            err.println("fleet: " + describe(e));
            return ExitCode.GATEWAY.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("fleet: interrupted");
            return ExitCode.GATEWAY.code();
        }
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
