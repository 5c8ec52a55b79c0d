package dev.iffleet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Committed Java heap of another JVM, read with {@code jcmd <pid> GC.heap_info}, so a benchmark can tell
 * heap growth (bounded by -Xmx) from native growth (tensors, allocator).
 */
final class JavaHeap {

    // "def new generation   total 116224K, used ..." and "tenured generation   total 258048K, used ..."
    private static final Pattern TOTAL = Pattern.compile("generation\\s+total (\\d+)K");

    private JavaHeap() {}

    /** Committed heap in KiB, or -1 when jcmd is missing or the process is gone. */
    static long committedKb(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            long kb = 0;
            Matcher m = TOTAL.matcher(out);
            while (m.find()) {
                kb += Long.parseLong(m.group(1));
            }
            return kb > 0 ? kb : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
