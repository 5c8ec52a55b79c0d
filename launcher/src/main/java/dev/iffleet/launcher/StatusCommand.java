package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./fleet status [--name N] [--kafka HOST:PORT] [--redis URI]}: every replica's state from its heartbeat and
 * every stage topic's lag. Kafka and Redis come from the state file {@code ./fleet up} wrote unless given.
 */
final class StatusCommand {

    private StatusCommand() {}

    static int run(Path root, String[] args, PrintStream out) throws Exception {
        String name = Topics.DEFAULT_NAME;
        String kafka = null;
        String redis = null;
        String prefix = null;
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--name" -> name = args[++i];
                case "--kafka" -> kafka = args[++i];
                case "--redis" -> redis = args[++i];
                case "--key-prefix" -> prefix = args[++i];
                default -> throw new IllegalArgumentException("status takes --name, --kafka, --redis, --key-prefix; got " + args[i]);
            }
        }
        Path file = FleetState.file(root, name);
        Optional<FleetState> state = FleetState.read(file);
        if (state.isEmpty() && (kafka == null || redis == null)) {
            out.println("no fleet '" + name + "' is up here (no " + file + "); give --kafka and --redis to look at one elsewhere");
            return 1;
        }
        Topics names = new Topics(name);
        String down = "./fleet down" + (name.equals(Topics.DEFAULT_NAME) ? "" : " --name " + name);
        kafka = kafka != null ? kafka : state.get().bootstrap();
        redis = redis != null ? redis : state.get().redis();
        Map<String, String> config = new HashMap<>();
        if (prefix != null) {
            config.put("fleet.redis.key-prefix", prefix);
        } else if (state.isPresent() && state.get().keyPrefix() != null) {
            config.put("fleet.redis.key-prefix", state.get().keyPrefix());
        }
        List<FleetStatus.Replica> expected = new ArrayList<>();
        state.ifPresent(s -> s.processes().stream().filter(p -> !p.service().equals("gateway")).forEach(p -> expected.add(
                FleetStatus.silent(p.service(), String.valueOf(p.replica()), p.device(), p.port(), p.pid()))));

        out.printf("fleet '%s'  kafka %s  redis %s%s%n", names.fleet(), kafka, redis,
                state.map(s -> s.gateway() == null ? "" : "  gateway " + s.gateway()).orElse(""));
        state.filter(s -> !s.launcherAlive()).ifPresent(s -> out.println("(its launcher, pid " + s.launcher().pid()
                + ", is gone: " + down + " stops what is left)"));
        Map<String, String> heartbeats;
        try {
            heartbeats = RedisHash.getAll(redis, FleetOptions.keys(names, config).workers());
        } catch (java.io.IOException e) {
            out.println("redis " + redis + ": " + e.getMessage());
            heartbeats = Map.of();
        }
        Map<String, Long> lag;
        try {
            lag = KafkaLag.of(kafka, names);
        } catch (Exception e) {
            out.println("kafka " + kafka + ": " + e);
            lag = Map.of();
        }
        out.println();
        out.print(FleetStatus.of(names, heartbeats, lag, expected, System.currentTimeMillis()).render());
        return 0;
    }
}
