package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.store.Keys;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Fleet#start(dev.iffleet.devstack.DevStack, Path, FleetOptions)} starts: which services, how many
 * replicas of each on which devices, and the system properties every service (or one service) gets.
 *
 * @param extraConfig system properties for every service (e.g. {@code fleet.name}, {@code fleet.redis.key-prefix})
 * @param serviceConfig system properties for every replica of one service (services refuse properties they do not
 *     know, e.g. the workers {@code fleet.webhooks.*})
 * @param replicas replicas per service; a service not listed runs one
 * @param devices {@code fleet.model.device} per replica of a worker; not listed: {@code cpu}; one entry: every replica
 */
public record FleetOptions(Path packDir, Path logDir, Map<String, String> extraConfig,
        Map<Service, Map<String, String>> serviceConfig, Duration readyTimeout, EnumSet<Service> which,
        Map<Service, Integer> replicas, Map<Service, List<String>> devices) {

    public static final String DEFAULT_DEVICE = "cpu";
    /** fleet.kafka.partitions' default (FleetConfig): the partitions of every topic the launcher creates. */
    public static final int DEFAULT_PARTITIONS = 48;
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(5);

    public FleetOptions {
        Objects.requireNonNull(packDir, "packDir");
        Objects.requireNonNull(logDir, "logDir");
        extraConfig = Map.copyOf(extraConfig);
        Map<Service, Map<String, String>> perService = new EnumMap<>(Service.class);
        serviceConfig.forEach((s, c) -> perService.put(s, Map.copyOf(c)));
        serviceConfig = Collections.unmodifiableMap(perService);
        which = EnumSet.copyOf(which);
        replicas = Collections.unmodifiableMap(replicas.isEmpty() ? new EnumMap<>(Service.class) : new EnumMap<>(replicas));
        Map<Service, List<String>> devs = new EnumMap<>(Service.class);
        devices.forEach((s, d) -> devs.put(s, List.copyOf(d)));
        devices = Collections.unmodifiableMap(devs);
        for (Map.Entry<Service, Integer> r : replicas.entrySet()) {
            if (r.getValue() < 1) {
                throw new IllegalArgumentException(r.getKey().stage() + ": replicas must be at least 1, is " + r.getValue());
            }
            if (r.getValue() > 1 && r.getKey() == Service.GATEWAY) {
                throw new IllegalArgumentException("one gateway per fleet (it owns the fleet's events consumer group)");
            }
        }
        for (Service s : devices.keySet()) {
            deviceOf(s, 0, replicas.getOrDefault(s, 1), devices.get(s)); // fails early on a short list
        }
    }

    /** The Kafka names of the fleet whose {@code fleet.name} is in {@code config} (default {@code if}). */
    public static Topics topics(Map<String, String> config) {
        return new Topics(config.getOrDefault("fleet.name", Topics.DEFAULT_NAME));
    }

    /** The Redis key layout of that fleet: {@code fleet.redis.key-prefix} if set, else the fleet name's. */
    public static Keys keys(Topics topics, Map<String, String> config) {
        return Keys.forFleet(topics.fleet(), java.util.Optional.ofNullable(config.get("fleet.redis.key-prefix")));
    }

    public static Builder builder(Path packDir, Path logDir) {
        return new Builder(packDir, logDir);
    }

    /** How many replicas of {@code s} run (1 unless set). */
    public int replicaCount(Service s) {
        return replicas.getOrDefault(s, 1);
    }

    /** The {@code fleet.model.device} of replica {@code i} of {@code s}. */
    public String device(Service s, int i) {
        return deviceOf(s, i, replicaCount(s), devices.getOrDefault(s, List.of()));
    }

    private static String deviceOf(Service s, int i, int count, List<String> list) {
        if (list.isEmpty()) {
            return DEFAULT_DEVICE;
        }
        if (list.size() == 1) {
            return list.get(0); // one device for every replica, e.g. cpu
        }
        if (list.size() < count) {
            throw new IllegalArgumentException(s.stage() + ": " + count + " replicas but only " + list.size()
                    + " devices " + list + " (give one per replica, or a single one for all)");
        }
        return list.get(i);
    }

    /** Builds {@link FleetOptions}; everything but the pack and log directories has a default. */
    public static final class Builder {
        private final Path packDir;
        private final Path logDir;
        private final Map<String, String> extraConfig = new LinkedHashMap<>();
        private final Map<Service, Map<String, String>> serviceConfig = new EnumMap<>(Service.class);
        private final Map<Service, Integer> replicas = new EnumMap<>(Service.class);
        private final Map<Service, List<String>> devices = new EnumMap<>(Service.class);
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private EnumSet<Service> which = EnumSet.allOf(Service.class);

        private Builder(Path packDir, Path logDir) {
            this.packDir = packDir;
            this.logDir = logDir;
        }

        /** A system property for every service. */
        public Builder config(String key, String value) {
            extraConfig.put(key, value);
            return this;
        }

        public Builder config(Map<String, String> config) {
            extraConfig.putAll(config);
            return this;
        }

        /** A system property for every replica of {@code s}. */
        public Builder serviceConfig(Service s, String key, String value) {
            serviceConfig.computeIfAbsent(s, k -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        public Builder serviceConfig(Map<Service, Map<String, String>> config) {
            config.forEach((s, c) -> c.forEach((k, v) -> serviceConfig(s, k, v)));
            return this;
        }

        public Builder replicas(Service s, int count) {
            replicas.put(s, count);
            return this;
        }

        /** Devices of the replicas of {@code s}, in replica order; a single entry applies to all. */
        public Builder devices(Service s, List<String> list) {
            devices.put(s, List.copyOf(list));
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            readyTimeout = timeout;
            return this;
        }

        /** Starts only these services (e.g. the gateway alone, to measure submissions). */
        public Builder only(EnumSet<Service> services) {
            which = EnumSet.copyOf(services);
            return this;
        }

        public FleetOptions build() {
            return new FleetOptions(packDir, logDir, extraConfig, serviceConfig, readyTimeout, which, replicas, devices);
        }
    }
}
