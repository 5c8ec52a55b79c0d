package dev.iffleet.gateway.auth;

import dev.iffleet.core.store.RedisStore;
import io.lettuce.core.RedisException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The admin command for API keys ({@code ./fleet keys ...}): {@code create --name N [--rate R] [--concurrent C]},
 * {@code list}, {@code revoke --name N}; Redis from {@code --redis} or {@code FLEET_REDIS_URI}, key prefix from
 * {@code FLEET_REDIS_KEY_PREFIX}. A new key is printed once and never stored.
 */
public final class ApiKeyAdmin {

    static final String USAGE = """
            usage: fleet keys create --name NAME [--rate PER_MINUTE] [--concurrent JOBS] [--redis URI]
                   fleet keys list [--redis URI]
                   fleet keys revoke --name NAME [--redis URI]
              Redis: --redis, else env FLEET_REDIS_URI, else redis://127.0.0.1:6379; key prefix: env FLEET_REDIS_KEY_PREFIX
              limits left out follow the gateway's fleet.auth.default-rate-per-minute / default-max-concurrent""";

    private ApiKeyAdmin() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** @return the exit status: 0 done, 1 refused (name taken, unknown), 2 bad usage */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || !(args[0].equals("create") || args[0].equals("list") || args[0].equals("revoke"))) {
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
                default -> revoke(store, opts, out, err);
            };
        } catch (NumberFormatException e) {
            err.println("--rate and --concurrent take a whole number\n" + USAGE);
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
            String key = store.create(name, rate, concurrent, System.currentTimeMillis());
            err.println("created API key '" + name + "' (rate " + shown(rate) + "/min, " + shown(concurrent)
                    + " concurrent); it is shown only now, keep it:");
            out.println(key);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static int list(ApiKeyStore store, PrintStream out) {
        out.printf("%-24s %-24s %8s %10s  %s%n", "name", "created", "rate/min", "concurrent", "hash");
        for (ApiKey k : store.list()) {
            out.printf("%-24s %-24s %8s %10s  %s%n", k.name(), Instant.ofEpochMilli(k.createdAt()),
                    shown(k.ratePerMinute()), shown(k.maxConcurrent()), ApiKeys.shortHash(k.hash()));
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
