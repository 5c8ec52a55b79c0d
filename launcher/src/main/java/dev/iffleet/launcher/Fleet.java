package dev.iffleet.launcher;

import dev.iffleet.core.queue.Topics;
import dev.iffleet.devstack.DevStack;
import dev.iffleet.devstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole fleet on one machine: the five services as separate JVMs over a given Kafka and Redis,
 * each on a free port, started together and ready (models warmed up) when {@link #start} returns.
 */
public final class Fleet implements AutoCloseable {

    private final Map<Service, ServiceProcess> services;
    private final Map<Service, Map<String, String>> configs = new EnumMap<>(Service.class);
    private final Path repoRoot;
    private final Path logDir;

    private Fleet(Map<Service, ServiceProcess> services, Path repoRoot, Path logDir) {
        this.services = services;
        this.repoRoot = repoRoot;
        this.logDir = logDir;
    }

    /**
     * @param extraConfig system properties for every service (e.g. {@code fleet.redis.key-prefix})
     */
    public static Fleet start(DevStack stack, Path repoRoot, Path packDir, Path logDir, Map<String, String> extraConfig,
            Duration readyTimeout) {
        return start(stack, repoRoot, packDir, logDir, extraConfig, readyTimeout, EnumSet.allOf(Service.class));
    }

    /**
     * Starts only {@code which} of the services (e.g. the gateway alone, to measure submissions).
     *
     * @param extraConfig system properties for every service (e.g. {@code fleet.redis.key-prefix})
     */
    public static Fleet start(DevStack stack, Path repoRoot, Path packDir, Path logDir, Map<String, String> extraConfig,
            Duration readyTimeout, EnumSet<Service> which) {
        return start(stack, repoRoot, packDir, logDir, extraConfig, Map.of(), readyTimeout, which);
    }

    /**
     * Starts {@code which} of the services, each with {@code extraConfig} plus its own entry of {@code serviceConfig}
     * (services refuse properties they do not know, e.g. the workers {@code fleet.webhooks.*}).
     */
    public static Fleet start(DevStack stack, Path repoRoot, Path packDir, Path logDir, Map<String, String> extraConfig,
            Map<Service, Map<String, String>> serviceConfig, Duration readyTimeout, EnumSet<Service> which) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // created up front with several partitions, so that replicas of a stage can share its work
        stack.kafka().createTopics(Topics.DEFAULT.all(), 4);
        Map<Service, ServiceProcess> started = new EnumMap<>(Service.class);
        Fleet fleet = new Fleet(started, repoRoot, logDir);
        try {
            for (Service s : which) {
                Map<String, String> config = new HashMap<>(extraConfig);
                config.putAll(serviceConfig.getOrDefault(s, Map.of()));
                config.put("kafka.bootstrap.servers", stack.bootstrapServers());
                config.put("fleet.redis.uri", stack.redisUri());
                config.put("fleet.pack.dir", packDir.toAbsolutePath().toString());
                fleet.configs.put(s, config);
                started.put(s, ServiceProcess.start(s, repoRoot, Ports.free(), config, logDir));
            }
            fleet.awaitReady(readyTimeout);
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + services.get(Service.GATEWAY).port();
    }

    public ServiceProcess service(Service s) {
        return services.get(s);
    }

    public List<ServiceProcess> services() {
        return new ArrayList<>(services.values());
    }

    /**
     * Kills {@code s} (SIGKILL, as a crash would) and starts it again with the same config on a new free port;
     * returns once it is ready. Callers of the gateway must take {@link #gatewayUrl()} again.
     */
    public ServiceProcess restart(Service s, Duration readyTimeout) {
        ServiceProcess old = services.get(s);
        if (old == null) {
            throw new IllegalArgumentException(s.module() + " is not part of this fleet");
        }
        old.kill();
        services.put(s, ServiceProcess.start(s, repoRoot, Ports.free(), configs.get(s), logDir));
        awaitReady(readyTimeout);
        return services.get(s);
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ServiceProcess> pending = new ArrayList<>(services.values());
        while (!pending.isEmpty()) {
            pending.removeIf(ServiceProcess::isReady);
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready after " + timeout + ": "
                        + pending.stream().map(p -> p.service().module() + " (log " + p.log() + ")").toList());
            }
            sleep(250);
        }
    }

    /** Stops every service, gateway first so no new work comes in. */
    @Override
    public void close() {
        services.values().forEach(ServiceProcess::close);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
