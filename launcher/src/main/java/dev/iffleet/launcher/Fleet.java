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
 * The whole fleet on one machine: the services as separate JVMs over a given Kafka and Redis, each replica on a free
 * port with its own log, started together and ready (models warmed up) when {@link #start} returns.
 */
public final class Fleet implements AutoCloseable {

    private static final String DRAIN_TIMEOUT = "fleet.worker.drain-timeout";
    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(60);

    private final Map<Service, List<ServiceProcess>> replicas = new EnumMap<>(Service.class);
    private final Map<Service, List<Map<String, String>>> configs = new EnumMap<>(Service.class);
    private final Path repoRoot;
    private final FleetOptions options;
    private boolean closed;

    private Fleet(Path repoRoot, FleetOptions options) {
        this.repoRoot = repoRoot;
        this.options = options;
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
        return start(stack, repoRoot, FleetOptions.builder(packDir, logDir).config(extraConfig).serviceConfig(serviceConfig)
                .readyTimeout(readyTimeout).only(which).build());
    }

    /** Starts the fleet {@code options} describe and returns once every replica is ready. */
    public static Fleet start(DevStack stack, Path repoRoot, FleetOptions options) {
        Fleet fleet = launch(stack, repoRoot, options);
        try {
            fleet.awaitReady(options.readyTimeout());
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /**
     * Creates the topics and starts every replica without waiting for readiness, so that a caller can arrange for
     * their stop (a signal handler) before the minutes of warm-up; then {@link #awaitReady}. On failure the replicas
     * started so far are stopped.
     */
    static Fleet launch(DevStack stack, Path repoRoot, FleetOptions options) {
        Fleet fleet = new Fleet(repoRoot, options);
        fleet.launch(stack);
        return fleet;
    }

    /** A fleet that has started nothing yet: {@link #launch(DevStack)} starts it, {@link #close()} stops what runs. */
    static Fleet create(Path repoRoot, FleetOptions options) {
        return new Fleet(repoRoot, options);
    }

    /** Creates the topics and starts every replica (see {@link #launch(DevStack, Path, FleetOptions)}). */
    void launch(DevStack stack) {
        try {
            Files.createDirectories(options.logDir());
            Topics names = FleetOptions.topics(options.extraConfig());
            // created up front with many partitions, so that replicas of a stage can share its work
            stack.kafka().createTopics(names.all(), partitions(options.extraConfig()));
            for (Service s : options.which()) {
                List<ServiceProcess> started = new ArrayList<>();
                List<Map<String, String>> stageConfigs = new ArrayList<>();
                synchronized (this) {
                    replicas.put(s, started);
                    configs.put(s, stageConfigs);
                }
                for (int i = 0; i < options.replicaCount(s); i++) {
                    Map<String, String> config = replicaConfig(stack, options, s, i);
                    ServiceProcess p = ServiceProcess.start(s, i, config.getOrDefault("fleet.model.device",
                            FleetOptions.DEFAULT_DEVICE), repoRoot, Ports.free(), config, logFile(options, s, i));
                    synchronized (this) {
                        if (closed) { // stopped (a signal) while starting: this one must not outlive it
                            p.kill();
                            throw new IllegalStateException("fleet stopped while starting");
                        }
                        stageConfigs.add(config);
                        started.add(p);
                    }
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static Map<String, String> replicaConfig(DevStack stack, FleetOptions options, Service s, int replica) {
        Map<String, String> config = new HashMap<>(options.extraConfig());
        config.putAll(options.serviceConfig().getOrDefault(s, Map.of()));
        config.put("kafka.bootstrap.servers", stack.bootstrapServers());
        config.put("fleet.redis.uri", stack.redisUri());
        config.put("fleet.pack.dir", options.packDir().toAbsolutePath().toString());
        if (s.isWorker()) {
            config.put("fleet.worker.replica", String.valueOf(replica));
            if (options.devices().containsKey(s) || !config.containsKey("fleet.model.device")) {
                config.put("fleet.model.device", options.device(s, replica));
            }
            if (config.get("fleet.model.device").startsWith("cpu")) {
                // batches pay on GPUs; on a CPU they cost warm-up (every batch size up to max-batch, about a minute
                // for the shapes pack on 2 cores) for little gain (bench/run scale), so a CPU replica runs jobs alone
                // unless --max-batch (or fleet.worker.max-batch) says otherwise
                config.putIfAbsent("fleet.worker.max-batch", "1");
            }
        }
        return config;
    }

    /** {@code <module>.log} for a single replica (as before replicas), {@code <module>-<i>.log} for several. */
    private static Path logFile(FleetOptions options, Service s, int replica) {
        String name = options.replicaCount(s) == 1 ? s.module() : s.module() + "-" + replica;
        return options.logDir().resolve(name + ".log");
    }

    static int partitions(Map<String, String> config) {
        return Integer.parseInt(config.getOrDefault("fleet.kafka.partitions", String.valueOf(FleetOptions.DEFAULT_PARTITIONS)));
    }

    /** The fleet's {@code fleet.name} (default {@code if}). */
    public String name() {
        return FleetOptions.topics(options.extraConfig()).fleet();
    }

    public FleetOptions options() {
        return options;
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + service(Service.GATEWAY).port();
    }

    /** Replica 0 of {@code s} (the only one unless the fleet was started with more). */
    public synchronized ServiceProcess service(Service s) {
        List<ServiceProcess> list = replicas.get(s);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    /** Every replica of {@code s}, in replica order; empty if {@code s} is not part of this fleet. */
    public synchronized List<ServiceProcess> replicas(Service s) {
        return List.copyOf(replicas.getOrDefault(s, List.of()));
    }

    /** Every replica of every service, gateway first, then the cascade in order. */
    public synchronized List<ServiceProcess> services() {
        List<ServiceProcess> all = new ArrayList<>();
        replicas.values().forEach(all::addAll);
        return all;
    }

    /** Restarts replica 0 of {@code s}; see {@link #restart(Service, int, Duration)}. */
    public ServiceProcess restart(Service s, Duration readyTimeout) {
        return restart(s, 0, readyTimeout);
    }

    /**
     * Kills replica {@code replica} of {@code s} (SIGKILL, as a crash would) and starts it again with the same config
     * on a new free port; returns once it is ready. Callers of the gateway must take {@link #gatewayUrl()} again.
     */
    public ServiceProcess restart(Service s, int replica, Duration readyTimeout) {
        ServiceProcess old;
        Map<String, String> config;
        synchronized (this) {
            List<ServiceProcess> list = replicas.get(s);
            if (list == null || replica < 0 || replica >= list.size()) {
                throw new IllegalArgumentException(s.module() + " replica " + replica + " is not part of this fleet");
            }
            old = list.get(replica);
            config = configs.get(s).get(replica);
        }
        old.kill();
        ServiceProcess fresh = ServiceProcess.start(s, replica, old.device(), repoRoot, Ports.free(), config, old.log());
        synchronized (this) {
            replicas.get(s).set(replica, fresh);
        }
        awaitReady(readyTimeout);
        return fresh;
    }

    /**
     * The workers for {@link WorkerSupervisor}: a dead one is started again with the same config and log on a new port
     * (not waiting for its warm-up); never once {@link #close()} has begun, so an ordered stop restarts nothing.
     */
    WorkerSupervisor.Pool workerPool() {
        return new WorkerSupervisor.Pool() {
            @Override
            public List<ServiceProcess> watched() {
                return services().stream().filter(p -> p.service().isWorker()).toList();
            }

            @Override
            public boolean respawn(WorkerSupervisor.Watched dead) {
                return Fleet.this.respawn((ServiceProcess) dead);
            }
        };
    }

    private synchronized boolean respawn(ServiceProcess dead) {
        if (closed) {
            return false;
        }
        List<ServiceProcess> list = replicas.get(dead.service());
        int i = list.indexOf(dead);
        if (i < 0) {
            return false; // replaced meanwhile
        }
        Map<String, String> config = configs.get(dead.service()).get(i);
        list.set(i, ServiceProcess.start(dead.service(), dead.replica(), dead.device(), repoRoot, Ports.free(), config,
                dead.log()));
        return true;
    }

    /** Waits until every replica answers ready; fails naming the laggards (and their logs) after {@code timeout}. */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ServiceProcess> pending = services();
        while (!pending.isEmpty()) {
            pending.removeIf(ServiceProcess::isReady);
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready after " + timeout + ": "
                        + pending.stream().map(p -> p.name() + " (log " + p.log() + ")").toList());
            }
            sleep(250);
        }
    }

    /** How long a worker of {@code s} may take after SIGTERM: its {@code fleet.worker.drain-timeout} plus 10 s. */
    Duration stopGrace(Service s) {
        if (!s.isWorker()) {
            return ServiceProcess.STOP_GRACE;
        }
        String drain = options.serviceConfig().getOrDefault(s, Map.of()).getOrDefault(DRAIN_TIMEOUT,
                options.extraConfig().get(DRAIN_TIMEOUT));
        return (drain == null ? DEFAULT_DRAIN : Durations.parse(drain)).plus(ServiceProcess.STOP_GRACE);
    }

    /**
     * Stops every replica: the gateway first, so no new work comes in; then every worker at once with SIGTERM, so they
     * drain side by side, each SIGKILLed only once its stage's drain timeout plus 10 s has passed. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        replicas.getOrDefault(Service.GATEWAY, List.of()).forEach(ServiceProcess::close);
        long now = System.nanoTime();
        Map<ServiceProcess, Long> deadlines = new HashMap<>();
        for (Map.Entry<Service, List<ServiceProcess>> e : replicas.entrySet()) {
            if (e.getKey().isWorker()) {
                for (ServiceProcess p : e.getValue()) {
                    p.terminate();
                    deadlines.put(p, now + stopGrace(e.getKey()).toNanos());
                }
            }
        }
        deadlines.forEach(ServiceProcess::awaitExit);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
