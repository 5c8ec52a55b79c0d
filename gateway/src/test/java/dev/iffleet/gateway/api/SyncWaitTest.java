package dev.iffleet.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of {@code Prefer: wait=N}: clamped to 60 s, ignored when malformed. */
class SyncWaitTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "wait=5|5", "WAIT = 7|7", "respond-async, wait=10|10", "wait=600|60", "wait=soon|0", "wait=-1|0",
        "wait=5x|0", "handling=strict|0", "null|0", "wait=0|0"})
    void waitSeconds(String prefer, int expected) {
        assertEquals(expected, SyncWait.seconds(prefer));
    }
}
