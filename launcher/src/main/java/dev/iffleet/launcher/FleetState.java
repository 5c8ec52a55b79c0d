package dev.iffleet.launcher;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ./fleet up} started, in {@code .fleet/<name>/fleet.json}, so that {@code ./fleet status} finds the
 * fleet's Kafka and Redis and {@code ./fleet down} stops it from another shell. Each process is named with its start
 * time, so that a pid the kernel gave to someone else since is never signalled.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record FleetState(String name, @JsonProperty("launcher") Proc launcher, String bootstrap, String redis,
        @JsonProperty("key_prefix") String keyPrefix, String gateway, boolean ready,
        @JsonProperty("stack_owned") boolean stackOwned, List<Proc> processes, List<Proc> stack) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One process: a service replica ({@code service} = stage or {@code gateway}), or Kafka/Redis ({@code kafka}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Proc(String service, int replica, long pid, @JsonProperty("started_at") long startedAt, int port,
            String device, String log, @JsonProperty("stop_grace_ms") long stopGraceMs) {

        /** The process if it still runs and is the one recorded (same start time). */
        Optional<ProcessHandle> handle() {
            return ProcessHandle.of(pid).filter(h -> startedAt == 0 || FleetState.startedAt(h) == startedAt);
        }

        String label() {
            return replica < 0 ? service : service + "#" + replica;
        }

        static Proc of(String service, int replica, ProcessHandle h, int port, String device, String log, long graceMs) {
            return new Proc(service, replica, h.pid(), FleetState.startedAt(h), port, device, log, graceMs);
        }
    }

    /** Start time in epoch ms (0 where the OS does not say). */
    static long startedAt(ProcessHandle h) {
        return h.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    }

    /** {@code <root>/.fleet/<name>/fleet.json}. */
    static Path file(Path repoRoot, String name) {
        return repoRoot.resolve(".fleet").resolve(name).resolve("fleet.json");
    }

    static Optional<FleetState> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), FleetState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes atomically (a reader never sees half a file). */
    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** True while the launcher that wrote this file runs. */
    boolean launcherAlive() {
        return launcher != null && launcher.handle().isPresent();
    }
}
