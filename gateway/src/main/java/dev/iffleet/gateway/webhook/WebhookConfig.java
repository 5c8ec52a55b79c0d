package dev.iffleet.gateway.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Webhook delivery settings of the gateway, under {@code fleet.webhooks.}. */
@ConfigMapping(prefix = "fleet.webhooks")
public interface WebhookConfig {

    /**
     * Signing secrets, {@code whsec_<base64>}, of jobs submitted without an API key (a key has secrets of its own);
     * the first is the current one, and while rotating every listed secret signs. Without any, such deliveries go
     * unsigned (a warning says so at start).
     */
    Optional<List<String>> secrets();

    /** Delays before each attempt, the first counted from the event; after the last failed attempt, the delivery fails. */
    @WithDefault("0s,5s,5m,30m,2h,5h,10h,10h")
    List<Duration> schedule();

    /** Random spread of each delay, as a fraction (0.1 = ±10 %), so retries of many deliveries do not align. */
    @WithDefault("0.1")
    double jitter();

    /** Time limit of one POST, connection included. */
    @WithDefault("15s")
    Duration timeout();

    /** How long a claimed delivery is reserved for its replica; a replica that dies mid-POST gives it back after this. */
    @WithDefault("60s")
    Duration lease();

    /** How often each replica looks for due deliveries. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Deliveries sent at the same time by one replica. */
    @WithDefault("4")
    int concurrency();

    /**
     * Host names or CIDR blocks that webhooks may reach although they are loopback, private, link-local or
     * otherwise internal (for tests and private deployments).
     */
    Optional<List<String>> allowHosts();
}
