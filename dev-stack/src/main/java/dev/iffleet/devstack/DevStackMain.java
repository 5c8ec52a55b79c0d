package dev.iffleet.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a {@link DevStack} from the command line, prints {@code KAFKA=} and {@code REDIS=} lines,
 * and keeps it running until stdin closes or the process gets SIGTERM / Ctrl-C.
 *
 * <p>Usage: {@code java -jar dev-stack/target/dev-stack-<version>.jar [workDir]} (its manifest lists
 * target/lib), or {@code java -cp "$(ls dev-stack/target/dev-stack-*.jar):dev-stack/target/lib/*" ...}: java
 * itself expands only a bare {@code *} in a classpath, not {@code dev-stack-*.jar}.
 */
public final class DevStackMain {

    private DevStackMain() {
    }

    public static void main(String[] args) throws Exception {
        Path workDir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("dev-stack-");
        long started = System.nanoTime();
        try (DevStack stack = DevStack.start(workDir)) {
            System.out.println("KAFKA=" + stack.bootstrapServers());
            System.out.println("REDIS=" + stack.redisUri());
            System.out.flush();
            System.err.printf("dev-stack ready in %d ms, files in %s; close stdin or send SIGTERM to stop%n",
                    (System.nanoTime() - started) / 1_000_000, workDir.toAbsolutePath());
            // SIGTERM and Ctrl-C run the children's shutdown hooks; EOF on stdin ends this wait
            awaitStdinClosed();
        }
    }

    private static void awaitStdinClosed() throws IOException, InterruptedException {
        if (stdinIsDevNull()) {
            // started in the background (`java ... &` gets /dev/null): EOF is immediate and means nothing
            new CountDownLatch(1).await();
        }
        while (System.in.read() != -1) {
            // input is ignored
        }
    }

    private static boolean stdinIsDevNull() {
        try {
            return Files.isSameFile(Path.of("/proc/self/fd/0"), Path.of("/dev/null"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
