package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The options of {@code ./fleet up} and {@code ./fleet demo} that shape the fleet: name, replicas, devices, batch
 * sizes, which services, and any property, from the command line or a {@code --config} properties file (applied in
 * order: a later option wins over an earlier one or the file).
 *
 * <p>In a config file, {@code fleet.replicas.<stage>=N}, {@code fleet.devices.<stage>=gpu:0,gpu:1},
 * {@code fleet.max-batch.<stage>=N} and {@code fleet.only=gateway,stage1} are the flags' counterparts;
 * {@code <stage>.<key>=value} (e.g. {@code stage1.fleet.worker.max-wait=50ms}) goes to that service only; every other
 * key goes to every service.
 */
final class FleetArgs {

    static final String USAGE = """
            fleet options: [--name NAME] [--replicas stage1=4,sr=2] [--devices stage1=gpu:0,gpu:1,...]
                           [--max-batch stage1=8] [--only gateway,encode,...] [--set key=value] [--config FILE]""";

    private static final Pattern DEVICE = Pattern.compile("cpu|gpu:\\d+");
    private static final String REPLICAS = "fleet.replicas.";
    private static final String DEVICES = "fleet.devices.";
    private static final String MAX_BATCH = "fleet.max-batch.";

    private final Map<String, String> config = new LinkedHashMap<>();
    private final Map<Service, Map<String, String>> serviceConfig = new EnumMap<>(Service.class);
    private final Map<Service, Integer> replicas = new EnumMap<>(Service.class);
    private final Map<Service, List<String>> devices = new EnumMap<>(Service.class);
    private EnumSet<Service> only = EnumSet.allOf(Service.class);

    /** Takes {@code option} with {@code value} if it is one of these options; false if it is not. */
    boolean accept(String option, String value) {
        switch (option) {
            case "--name" -> set("fleet.name", value);
            case "--replicas" -> pairs(option, value).forEach((s, v) -> replicas(s, v));
            case "--devices" -> devices(value);
            case "--max-batch" -> pairs(option, value).forEach((s, v) -> maxBatch(s, v));
            case "--only" -> only(value);
            case "--set" -> {
                int eq = value.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--set needs key=value, got '" + value + "'");
                }
                set(value.substring(0, eq), value.substring(eq + 1));
            }
            case "--config" -> readFile(Path.of(value));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The fleet's name ({@code fleet.name}), {@code if} unless set. */
    String name() {
        return config.getOrDefault("fleet.name", Topics.DEFAULT_NAME);
    }

    /** Every service's properties so far (e.g. for the Redis key prefix). */
    Map<String, String> config() {
        return Map.copyOf(config);
    }

    FleetOptions.Builder apply(FleetOptions.Builder builder) {
        builder.config(config).serviceConfig(serviceConfig).only(only);
        replicas.forEach(builder::replicas);
        devices.forEach(builder::devices);
        return builder;
    }

    private void readFile(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --config " + file, e);
        }
        for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
            String value = p.getProperty(key).trim();
            if (key.startsWith(REPLICAS)) {
                replicas(Service.of(key.substring(REPLICAS.length())), value);
            } else if (key.startsWith(DEVICES)) {
                devices.put(worker(key.substring(DEVICES.length())), deviceList(value));
            } else if (key.startsWith(MAX_BATCH)) {
                maxBatch(worker(key.substring(MAX_BATCH.length())), value);
            } else if (key.equals("fleet.only")) {
                only(value);
            } else if (stagePrefix(key) != null) {
                Service s = stagePrefix(key);
                serviceConfig.computeIfAbsent(s, k -> new LinkedHashMap<>()).put(key.substring(key.indexOf('.') + 1), value);
            } else {
                set(key, value);
            }
        }
    }

    private static Service stagePrefix(String key) {
        int dot = key.indexOf('.');
        if (dot < 1) {
            return null;
        }
        String head = key.substring(0, dot);
        for (Service s : Service.values()) {
            if (s.stage().equals(head)) {
                return s;
            }
        }
        return null;
    }

    private void set(String key, String value) {
        config.put(key, value);
    }

    private void replicas(Service s, String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(s.stage() + ": replicas must be a number, got '" + value + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException(s.stage() + ": replicas must be at least 1, got " + n);
        }
        replicas.put(s, n);
    }

    private void maxBatch(Service s, String value) {
        if (!value.trim().matches("\\d+") || Integer.parseInt(value.trim()) < 1) {
            throw new IllegalArgumentException(s.stage() + ": max batch must be a positive number, got '" + value + "'");
        }
        serviceConfig.computeIfAbsent(worker(s.stage()), k -> new LinkedHashMap<>())
                .put("fleet.worker.max-batch", value.trim());
    }

    /** {@code stage1=gpu:0,gpu:1,sr=cpu}: a new stage starts at each {@code name=}. */
    private void devices(String value) {
        Service current = null;
        for (String part : value.split(",")) {
            String item = part.trim();
            int eq = item.indexOf('=');
            if (eq >= 0) {
                current = worker(item.substring(0, eq).trim());
                devices.put(current, new ArrayList<>());
                item = item.substring(eq + 1).trim();
            } else if (current == null) {
                throw new IllegalArgumentException("--devices needs stage=device,..., got '" + value + "'");
            }
            devices.get(current).add(device(item));
        }
    }

    private static List<String> deviceList(String value) {
        List<String> list = new ArrayList<>();
        for (String d : value.split(",")) {
            list.add(device(d.trim()));
        }
        return list;
    }

    private static String device(String d) {
        if (!DEVICE.matcher(d).matches()) {
            throw new IllegalArgumentException("a device is cpu or gpu:N, got '" + d + "'");
        }
        return d;
    }

    private void only(String value) {
        EnumSet<Service> set = EnumSet.noneOf(Service.class);
        for (String name : value.split(",")) {
            set.add(Service.of(name.trim()));
        }
        only = set;
    }

    private static Service worker(String name) {
        Service s = Service.of(name);
        if (!s.isWorker()) {
            throw new IllegalArgumentException(name + " runs no model: devices and batches are for encode, stage1, sr, upscale");
        }
        return s;
    }

    /** {@code stage1=4,sr=2} as a map from service to value. */
    private static Map<Service, String> pairs(String option, String value) {
        Map<Service, String> out = new EnumMap<>(Service.class);
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(option + " needs stage=N[,stage=N...], got '" + value + "'");
            }
            out.put(Service.of(pair.substring(0, eq).trim()), pair.substring(eq + 1).trim());
        }
        return out;
    }
}
