package dev.iffleet.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings shared by every service of the fleet, under the {@code fleet.} prefix. */
@ConfigMapping(prefix = "fleet")
public interface FleetConfig {

    /**
     * The fleet's namespace: topics {@code <name>.<stage>}, consumer groups {@code <name>-<stage>} and (for a name
     * other than the default) Redis keys {@code <name>:...}, so two fleets can share one Kafka and one Redis.
     */
    @WithDefault("if")
    String name();

    Redis redis();

    Kafka kafka();

    Worker worker();

    Pack pack();

    Model model();

    Retry retry();

    Progress progress();

    Gateway gateway();

    /** Job limits the gateway enforces (workers ignore them). */
    interface Gateway {
        /** The longest per-job {@code retention} a request may ask for; jobs older than it leave the listing index. */
        @WithDefault("7d")
        Duration maxRetention();

        /** Most images per prompt a job may ask for ({@code num_images}); each runs through every stage. */
        @WithDefault("4")
        int maxNumImages();

        /** Publishes the gateway rehearses on the fleet's warm-up topic at start-up (the JIT's first pass); 0: none. */
        @WithDefault("300")
        int warmupHops();

        /** Whether a job may ask for {@code watermark: false}; off by default, as IF's licence expects the mark. */
        @WithDefault("false")
        boolean allowWatermarkOff();

        /** Largest uploaded image or mask in bytes, checked before it is decoded. */
        @WithDefault("10485760")
        long maxImageBytes();

        /** Largest uploaded image or mask in pixels (width x height), read from its header before decoding. */
        @WithDefault("16777216")
        long maxImagePixels();
    }

    /** Where jobs and artifacts live. */
    interface Redis {
        /** Redis URI, e.g. {@code redis://127.0.0.1:6379}; credentials in it are never logged. */
        @WithDefault("redis://127.0.0.1:6379")
        String uri();

        /** How long a job record and its artifacts are kept. */
        @WithDefault("24h")
        Duration ttl();

        /** Prefix of every key, so several fleets (or tests) can share one Redis. */
        Optional<String> keyPrefix();
    }

    /** How the fleet uses Kafka beyond the client settings. */
    interface Kafka {
        /**
         * Partitions of every stage topic when the fleet creates it: the most replicas a stage can usefully run.
         * 48 divides evenly among 1, 2, 3, 4, 6, 8, 12, 16, 24 and 48 replicas, so every replica gets an equal share.
         */
        @WithDefault("48")
        int partitions();
    }

    /** How a stage worker takes work from its topic. */
    interface Worker {
        /** This replica's name within its stage (e.g. {@code 0}); with the fleet name it is the static group member id. */
        @WithDefault("0")
        String replica();

        /** Most jobs that share one model call; 1 turns cross-job batching off. */
        @WithDefault("1")
        int maxBatch();

        /** How long a batch waits for more compatible jobs after its first one arrived. */
        @WithDefault("20ms")
        Duration maxWait();

        /** On SIGTERM, how long the running batch may take to finish before it is handed back to the group. */
        @WithDefault("60s")
        Duration drainTimeout();

        /**
         * Hops (publish, fetch, admission and completion scripts) a replica rehearses on its own warm-up topic and
         * keys before it joins its group, so the JIT has compiled them when the first job comes; 0 skips it.
         */
        @WithDefault("300")
        int warmupHops();

        /**
         * A model call (one batch, admission and retries included) running longer than this is taken as hung: the
         * worker's {@code /q/health/live} then answers DOWN, so its orchestrator (Kubernetes, compose, {@code ./fleet
         * up}) restarts it and the job's record goes back to its stage's topic by redelivery. Set it well above the
         * stage's slowest legitimate batch on its device.
         */
        @WithDefault("10m")
        Duration hungAfter();
    }

    /** The model pack this worker serves. */
    interface Pack {
        /** Directory holding {@code pack.json}. */
        @WithDefault("models/shapes")
        String dir();
    }

    /** How the worker runs its model. */
    interface Model {
        /** {@code cpu} or {@code gpu:N}. */
        @WithDefault("cpu")
        String device();

        /** {@code float32} or {@code float16} (the pack must ship float16 files). */
        @WithDefault("float32")
        String dtype();

        /** libtorch intra-op threads; 0 keeps libtorch's default. */
        @WithDefault("0")
        int threads();

        /**
         * {@code torchscript} runs the pack's modules; {@code simulated} (load tests only) replaces every model call
         * by a sleep from {@link #profile()} and outputs of the right shape, and says so in logs, status and results.
         */
        @WithDefault("torchscript")
        String backend();

        /** Cost profile of the simulated backend (JSON: ms per call by batch size per component). */
        Optional<String> profile();

        /** Run every component once at start-up; the worker is ready only after. */
        @WithDefault("true")
        boolean warmup();
    }

    /** How often a failing stage is retried before its message goes to the dead-letter topic. */
    interface Retry {
        /** Attempts in all, including the first. */
        @WithDefault("3")
        int maxAttempts();

        /** Pause before the second attempt; doubles each time. */
        @WithDefault("500ms")
        Duration backoff();
    }

    /** Progress events on {@code if.events}. */
    interface Progress {
        /** Least time between two progress events of one job. */
        @WithDefault("500ms")
        Duration interval();
    }

    Metrics metrics();

    /** Prometheus metrics beyond what each replica counts itself. */
    interface Metrics {
        /** How often the gateway reads each stage group's lag from Kafka for {@code iffleet_stage_queue_lag}. */
        @WithDefault("5s")
        Duration lagInterval();
    }
}
