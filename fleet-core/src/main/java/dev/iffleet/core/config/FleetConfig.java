package dev.iffleet.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings shared by every service of the fleet, under the {@code fleet.} prefix. */
@ConfigMapping(prefix = "fleet")
public interface FleetConfig {

    Redis redis();

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
}
