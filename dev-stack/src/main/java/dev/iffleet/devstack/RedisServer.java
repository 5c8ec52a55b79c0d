package dev.iffleet.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/** A real Redis server in a child process on a free port, without persistence. */
public final class RedisServer implements AutoCloseable {

    // java.util.logging rather than System.Logger: jboss-logmanager's System.Logger finder complains
    // in test JVMs where java.util.logging.manager is set after JUL started
    private static final Logger LOG = Logger.getLogger(RedisServer.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 3;

    // Runs redis-server in the background and kills it once stdin (a pipe held by this JVM) reaches
    // EOF, so Redis cannot outlive a JVM that was killed with SIGKILL; the shell itself exits with
    // Redis, so that a Redis that failed to start shows as a dead child.
    private static final String WATCHDOG_SCRIPT = String.join("\n",
            "exec 3<&0",
            "\"$@\" </dev/null 3<&- & pid=$!",
            "{ while read -r _; do :; done; kill -9 $pid 2>/dev/null; } <&3 & watcher=$!",
            "wait $pid; status=$?",
            "kill $watcher 2>/dev/null",
            "exit $status");

    private final ChildProcess process;
    private final int port;

    private RedisServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code redis-server} from PATH, or the one shipped in embedded-redis, with its files in {@code workDir}. */
    public static RedisServer start(Path workDir) {
        Path dir = workDir.toAbsolutePath();
        long started = System.nanoTime();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        Path binary = findOnPath().orElseGet(() -> extractBundled(dir));
        for (int attempt = 1; ; attempt++) {
            int port = Ports.free();
            List<String> command = new ArrayList<>(List.of("sh", "-c", WATCHDOG_SCRIPT, "redis-watchdog"));
            command.addAll(List.of(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no",
                    "--daemonize", "no"));
            Path log = dir.resolve("redis.log");
            ChildProcess child = ChildProcess.start("redis", command, dir, log);
            try {
                if (awaitPong(child, port, System.nanoTime() + START_TIMEOUT.toNanos())) {
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    LOG.log(Level.INFO, "Redis ready on port {0} in {1} ms ({2})",
                            new Object[] {String.valueOf(port), String.valueOf(millis), child});
                    return new RedisServer(child, port);
                }
            } catch (RuntimeException | Error e) {
                child.stop();
                throw e;
            }
            child.stop();
            if (attempt == START_ATTEMPTS) {
                throw new IllegalStateException("Redis could not bind a port " + attempt + " times:\n"
                        + child.logTail(20));
            }
        }
    }

    /** A view of a server that another class loader of this JVM started; closing it leaves the server running. */
    static RedisServer attach(int port) {
        return new RedisServer(null, port);
    }

    /** The URI clients connect with, {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Stops the server (if this object started it) and waits until it is gone. */
    @Override
    public void close() {
        if (process != null) {
            process.stop();
        }
    }

    /** Sends a PING; true once the answer is PONG, false if the port was taken by someone else. */
    private static boolean awaitPong(ChildProcess child, int port, long deadline) {
        while (true) {
            if (!child.isAlive()) {
                String tail = child.logTail(20);
                if (tail.contains("Address already in use")) {
                    return false;
                }
                throw new IllegalStateException("Redis exited during startup (" + child + "):\n" + tail);
            }
            // the log line proves that the PONG came from our Redis, not from another JVM's on the same port
            if ("+PONG".equals(ping(port)) && child.logTail(20).contains("Ready to accept connections")) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis did not answer PING within " + START_TIMEOUT.toSeconds()
                        + " s (" + child + "):\n" + child.logTail(20));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Redis", e);
            }
        }
    }

    /** The first reply line to a RESP PING, or null when nothing answers. */
    static String ping(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            InputStream in = socket.getInputStream();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<Path> findOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Copies the redis-server binary that embedded-redis ships for this OS and CPU into {@code dir}. */
    private static Path extractBundled(Path dir) {
        String resource = bundledResourceName();
        Path target = dir.resolve("redis-server");
        try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on PATH and no " + resource
                        + " resource (com.github.codemonstur:embedded-redis) on the classpath");
            }
            // copy then rename, so a concurrent start never executes a half-written file
            Path partial = Files.createTempFile(dir, "redis-server", ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            if (!partial.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + partial + " executable");
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource + " to " + target, e);
        }
    }

    // Resource names inside embedded-redis 1.4.3.
    static String bundledResourceName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        throw new IllegalStateException("no bundled redis-server for " + os + "/" + arch + "; put redis-server on PATH");
    }
}
