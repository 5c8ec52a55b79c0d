package dev.iffleet.gateway.auth;

import dev.iffleet.core.store.RedisStore;
import io.lettuce.core.RedisException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin command for API keys ({@code ./fleet keys ...}): {@code create --name N [--rate R] [--concurrent C]},
 * {@code list}, {@code revoke --name N}, {@code rotate-webhook-secret --name N [--overlap D]}; Redis from
 * {@code --redis} or {@code FLEET_REDIS_URI}, key prefix from {@code FLEET_REDIS_KEY_PREFIX}. A new key and a new
 * webhook secret are printed once, on standard output only.
 */
public final class ApiKeyAdmin {

    static final String USAGE = """
            usage: fleet keys create --name NAME [--rate PER_MINUTE] [--concurrent JOBS] [--redis URI]
                   fleet keys list [--redis URI]
                   fleet keys revoke --name NAME [--redis URI]
                   fleet keys rotate-webhook-secret --name NAME [--overlap DURATION] [--redis URI]
              Redis: --redis, else env FLEET_REDIS_URI, else redis://127.0.0.1:6379; key prefix: env FLEET_REDIS_KEY_PREFIX
              limits left out follow the gateway's fleet.auth.default-rate-per-minute / default-max-concurrent
              create prints the key, then its webhook signing secret (whsec_...), one a line
              --overlap: how long the previous webhook secret keeps signing too (90s, 30m, 24h, 2d or ISO-8601);
                default env FLEET_WEBHOOKS_ROTATION_OVERLAP, else 24h""";
    static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final List<String> COMMANDS = List.of("create", "list", "revoke", "rotate-webhook-secret");

    private ApiKeyAdmin() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** @return the exit status: 0 done, 1 refused (name taken, unknown), 2 bad usage */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            err.println(USAGE);
            return 2;
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("expected --option value, got '" + args[i] + "'\n" + USAGE);
                return 2;
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        String uri = opts.getOrDefault("redis", env.getOrDefault("FLEET_REDIS_URI", "redis://127.0.0.1:6379"));
        try (RedisStore redis = new RedisStore(uri)) {
            ApiKeyStore store = new ApiKeyStore(redis, new AuthKeys(env.get("FLEET_REDIS_KEY_PREFIX")));
            return switch (args[0]) {
                case "create" -> create(store, opts, out, err);
                case "list" -> list(store, out);
                case "revoke" -> revoke(store, opts, out, err);
                default -> rotate(store, opts, env, out, err);
            };
        } catch (NumberFormatException e) {
            err.println("--rate and --concurrent take a whole number\n" + USAGE);
            return 2;
        } catch (DateTimeParseException e) {
            err.println("--overlap takes a duration such as 90s, 30m, 24h or PT24H\n" + USAGE);
            return 2;
        } catch (RedisException e) {
            err.println("Redis failed: " + e.getMessage());
            return 1;
        }
    }

    private static int create(ApiKeyStore store, Map<String, String> opts, PrintStream out, PrintStream err) {
        String name = opts.get("name");
        if (name == null || name.isBlank()) {
            err.println("create needs --name\n" + USAGE);
            return 2;
        }
        OptionalInt rate = limit(opts.get("rate"));
        OptionalInt concurrent = limit(opts.get("concurrent"));
        try {
            ApiKeyStore.IssuedKey issued = store.create(name, rate, concurrent, System.currentTimeMillis());
            err.println("created API key '" + name + "' (rate " + shown(rate) + "/min, " + shown(concurrent)
                    + " concurrent); shown only now, keep both: the key, then its webhook signing secret");
            out.println(issued.key());
            out.println(issued.webhookSecret());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static int list(ApiKeyStore store, PrintStream out) {
        long now = System.currentTimeMillis();
        out.printf("%-24s %-24s %8s %10s  %-8s  %s%n", "name", "created", "rate/min", "concurrent", "hash",
                "previous webhook secret signs until");
        for (ApiKey k : store.list()) {
            OptionalLong until = store.previousSecretUntil(k.hash(), now);
            out.printf("%-24s %-24s %8s %10s  %-8s  %s%n", k.name(), Instant.ofEpochMilli(k.createdAt()),
                    shown(k.ratePerMinute()), shown(k.maxConcurrent()), ApiKeys.shortHash(k.hash()),
                    until.isPresent() ? Instant.ofEpochMilli(until.getAsLong()) : "-");
        }
        return 0;
    }

    private static int revoke(ApiKeyStore store, Map<String, String> opts, PrintStream out, PrintStream err) {
        String name = opts.get("name");
        if (name == null) {
            err.println("revoke needs --name\n" + USAGE);
            return 2;
        }
        if (!store.revoke(name)) {
            err.println("no API key named '" + name + "'");
            return 1;
        }
        out.println("revoked API key '" + name + "'");
        return 0;
    }

    private static int rotate(ApiKeyStore store, Map<String, String> opts, Map<String, String> env, PrintStream out,
            PrintStream err) {
        String name = opts.get("name");
        if (name == null) {
            err.println("rotate-webhook-secret needs --name\n" + USAGE);
            return 2;
        }
        String given = opts.getOrDefault("overlap", env.get("FLEET_WEBHOOKS_ROTATION_OVERLAP"));
        Duration overlap = given == null ? DEFAULT_OVERLAP : duration(given);
        long now = System.currentTimeMillis();
        Optional<String> secret = store.rotateWebhookSecret(name, now, overlap);
        if (secret.isEmpty()) {
            err.println("no API key named '" + name + "'");
            return 1;
        }
        err.println("new webhook signing secret of API key '" + name + "', shown only now; until "
                + Instant.ofEpochMilli(now + overlap.toMillis()) + " webhooks carry the previous secret's signature too:");
        out.println(secret.get());
        return 0;
    }

    /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 2d}, {@code 500ms} or an ISO-8601 duration; never negative. */
    static Duration duration(String v) {
        Matcher m = SHORT_DURATION.matcher(v.trim());
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            d = Duration.parse(v.trim());
        }
        if (d.isNegative()) {
            throw new DateTimeParseException("negative", v, 0);
        }
        return d;
    }

    private static OptionalInt limit(String v) {
        if (v == null) {
            return OptionalInt.empty();
        }
        int n = Integer.parseInt(v);
        if (n < 0) {
            throw new NumberFormatException("negative");
        }
        return OptionalInt.of(n);
    }

    private static String shown(OptionalInt v) {
        return v.isPresent() ? Integer.toString(v.getAsInt()) : "default";
    }
}
