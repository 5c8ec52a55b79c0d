package dev.iffleet.gateway.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** API-key access to {@code /v1/*}, under {@code fleet.auth.}; off by default (open gateway, as for the demo). */
@ConfigMapping(prefix = "fleet.auth")
public interface AuthConfig {

    /** Whether every {@code /v1/*} request needs {@code Authorization: Bearer <key>}. */
    @WithDefault("false")
    boolean enabled();

    /** Job submissions per minute of a key created without {@code --rate}; 0 = unlimited. */
    @WithDefault("60")
    int defaultRatePerMinute();

    /** Unfinished jobs a key created without {@code --concurrent} may have at once; 0 = unlimited. */
    @WithDefault("4")
    int defaultMaxConcurrent();

    /** The {@code Retry-After} of a submission refused for the concurrent-job quota. */
    @WithDefault("5s")
    Duration quotaRetryAfter();
}
