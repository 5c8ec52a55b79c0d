package dev.iffleet.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExitCodeTest {

    @Test
    void finalJobStatusesMapToZeroOrOne() {
        assertEquals(0, ExitCode.forJobStatus("succeeded").code());
        assertEquals(1, ExitCode.forJobStatus("failed").code());
        assertEquals(1, ExitCode.forJobStatus("canceled").code());
        assertThrows(IllegalArgumentException.class, () -> ExitCode.forJobStatus("running"));
    }

    @Test
    void httpErrorsAreThree() {
        assertEquals(0, ExitCode.forHttpStatus(200).code());
        assertEquals(0, ExitCode.forHttpStatus(202).code());
        assertEquals(3, ExitCode.forHttpStatus(400).code());
        assertEquals(3, ExitCode.forHttpStatus(404).code());
        assertEquals(3, ExitCode.forHttpStatus(503).code());
        assertEquals(2, ExitCode.USAGE.code());
    }
}
