package dev.iffleet.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code retention} field and the request fingerprint that idempotency compares. */
class RetentionAndFingerprintTest {

    private final JobRequestValidator validator = new JobRequestValidator(Duration.ofDays(7));

    @Test
    void retentionIsSecondsOrAnIsoDuration() {
        assertEquals(7200L, validator.validate("{\"prompt\":\"p\",\"retention\":7200}").retentionSeconds());
        assertEquals(7200L, validator.validate("{\"prompt\":\"p\",\"retention\":\"PT2H\"}").retentionSeconds());
        assertNull(validator.validate("{\"prompt\":\"p\"}").retentionSeconds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "604801", "\"P8D\"", "\"2h\"", "1.5", "true", "{}"})
    void badRetentionIsRefusedNamingTheField(String value) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> validator.validate("{\"prompt\":\"p\",\"retention\":" + value + "}"));
        assertEquals("retention", e.field());
    }

    @Test
    void fingerprintIgnoresLayoutAndADrawnSeedButNotTheContent() {
        String a = validator.check("{\"prompt\":\"p\",\"output_size\":64}").fingerprint();
        assertEquals(a, validator.check("{ \"output_size\": 64,\n \"prompt\": \"p\" }").fingerprint());
        assertNotEquals(a, validator.check("{\"prompt\":\"p\",\"output_size\":256}").fingerprint());
        assertNotEquals(a, validator.check("{\"prompt\":\"p\",\"output_size\":64,\"seed\":3}").fingerprint());
    }
}
