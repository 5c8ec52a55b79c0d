package dev.iffleet.gateway.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The job event streams ({@code GET /v1/jobs/{id}/events}), under {@code fleet.events.}. */
@ConfigMapping(prefix = "fleet.events")
public interface EventsConfig {

    /**
     * Longest silence on an open stream: after it a comment line ({@code : keep-alive}) is sent, so proxies and load
     * balancers that cut idle connections keep a stream whose job is queued or in a long step.
     */
    @WithDefault("15s")
    Duration keepAlive();
}
