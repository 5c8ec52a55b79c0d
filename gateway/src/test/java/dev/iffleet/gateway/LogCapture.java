package dev.iffleet.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Test helper: keeps every log line written while started, to check that no secret reaches one. */
public final class LogCapture extends Handler {

    private final SimpleFormatter format = new SimpleFormatter();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public void start() {
        Logger.getLogger("").addHandler(this);
    }

    public void stop() {
        Logger.getLogger("").removeHandler(this);
    }

    public List<String> lines() {
        return lines;
    }

    public void assertNoLineShows(String secret) {
        assertTrue(lines.stream().noneMatch(l -> l.contains(secret)), "a log line shows a secret");
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(format.format(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
