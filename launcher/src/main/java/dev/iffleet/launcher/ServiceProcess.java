package dev.iffleet.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** One replica of a service of the fleet running as its own JVM, with its log in a file and a readiness probe. */
public final class ServiceProcess implements AutoCloseable, WorkerSupervisor.Watched {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** How long the gateway (and a worker without a drain timeout) gets after SIGTERM before SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Service service;
    private final int replica;
    private final String device;
    private final int port;
    private final Process process;
    private final Path log;
    private volatile long peakRssKb;

    private ServiceProcess(Service service, int replica, String device, int port, Process process, Path log) {
        this.service = service;
        this.replica = replica;
        this.device = device;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java -jar quarkus-run.jar} with {@code config} as system properties. */
    static ServiceProcess start(Service service, Path repoRoot, int port, Map<String, String> config, Path logDir) {
        return start(service, 0, FleetOptions.DEFAULT_DEVICE, repoRoot, port, config, logDir.resolve(service.module() + ".log"));
    }

    /** Starts replica {@code replica} of {@code service}; {@code config} already holds its replica and device. */
    static ServiceProcess start(Service service, int replica, String device, Path repoRoot, int port,
            Map<String, String> config, Path log) {
        Path jar = service.runJar(repoRoot);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./fleet build, or mvn -DskipTests install)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(service.isWorker() ? "-Xmx768m" : "-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dai.djl.offline=true");
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repoRoot.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // offline: the tokenizer library must not look for a CUDA flavour or a hub download
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("RUST_FLAVOR", "cpu");
        // glibc gives each new thread its own malloc arena; libtorch's large, short-lived tensors then
        // fragment many arenas and RSS creeps up (bench/run memory). Two arenas keep it flat.
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        // libtorch 2.5.1's oneDNN 3.5.3 computes some float32 convolutions wrongly on AMD EPYC hosts: AVX-512 kernels
        // for the exported IF fixture (rel. error 0.2, ExportedPackTest), AVX2 kernels for the shapes pack's stage I
        // (a black image). SSE4.1 kernels are right for both; an operator's own setting wins.
        pb.environment().putIfAbsent("DNNL_MAX_CPU_ISA", "SSE41");
        try {
            return new ServiceProcess(service, replica, device, port, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + service.module() + " replica " + replica, e);
        }
    }

    public Service service() {
        return service;
    }

    /** The replica's index within its service, {@code fleet.worker.replica}. */
    public int replica() {
        return replica;
    }

    /** {@code fleet.model.device} of a worker ({@code cpu} for the gateway). */
    public String device() {
        return device;
    }

    /** E.g. {@code stage1-worker#2}, for messages. */
    @Override
    public String name() {
        return service.module() + "#" + replica;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    /** True once {@code /q/health/ready} answers 200 (workers: after their models warmed up). */
    public boolean isReady() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name() + " exited with " + process.exitValue() + "; log: " + log);
        }
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when {@code /q/health/live} answers DOWN (503): the worker's watchdog saw a hung model call. */
    @Override
    public boolean isLiveDown() {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live"))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 503;
        } catch (IOException e) {
            return false; // not answering (starting, or busy): only an explicit DOWN counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Samples the resident set size; {@link #peakRssKb()} keeps the kernel's high-water mark. */
    public void sampleRss() {
        rssField("VmHWM:").ifPresent(kb -> peakRssKb = Math.max(peakRssKb, kb));
    }

    /** Peak resident set size in KiB (the kernel's VmHWM, sampled while the process was alive). */
    public long peakRssKb() {
        sampleRss();
        return peakRssKb;
    }

    /** Current resident set size in KiB, if the process is alive. */
    public OptionalLong rssKb() {
        return rssField("VmRSS:");
    }

    private OptionalLong rssField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux: no figure
        }
        return OptionalLong.empty();
    }

    /** SIGKILL, no shutdown hooks: what a crash looks like to the rest of the fleet. */
    @Override
    public void kill() {
        sampleRss();
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (Quarkus shuts down gracefully, a worker drains), then SIGKILL after 10 s. */
    @Override
    public void close() {
        terminate();
        awaitExit(System.nanoTime() + STOP_GRACE.toNanos());
    }

    /** Sends SIGTERM and returns at once; {@link #awaitExit} waits. */
    void terminate() {
        sampleRss();
        process.destroy();
    }

    /**
     * Waits until the process has exited or {@code deadline} ({@link System#nanoTime()}) has passed, then SIGKILLs it.
     *
     * @return true if it exited by itself
     */
    boolean awaitExit(long deadline) {
        try {
            if (process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return true;
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return false;
    }
}
