package dev.iffleet.gateway;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The gateway as deployed for others to use: API keys required on {@code /v1/*}; event streams send their keep-alive
 * after one second of silence (instead of 15), so a test can watch it. One profile for every such test class, so
 * Quarkus starts this application once for all of them.
 */
public class SecuredGateway implements QuarkusTestProfile {

    /** The keep-alive interval of event streams under this profile. */
    public static final long KEEP_ALIVE_MS = 1_000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fleet.auth.enabled", "true",
                "fleet.events.keep-alive", KEEP_ALIVE_MS + "ms",
                "quarkus.log.category.\"dev.iffleet\".level", "DEBUG");
    }
}
