package dev.iffleet.gateway.webhook;

import java.time.Duration;
import java.util.List;

/** The plain values a {@link WebhookDispatcher} works with, read from {@link WebhookConfig} or built in tests. */
public record WebhookSettings(List<String> secrets, List<Duration> schedule, double jitter, Duration timeout,
        Duration lease, List<String> allowHosts) {

    public WebhookSettings {
        secrets = List.copyOf(secrets);
        schedule = List.copyOf(schedule);
        allowHosts = List.copyOf(allowHosts);
        if (schedule.isEmpty()) {
            throw new IllegalArgumentException("fleet.webhooks.schedule needs at least one delay");
        }
    }

    public static WebhookSettings of(WebhookConfig c) {
        return new WebhookSettings(c.secrets().orElse(List.of()), c.schedule(), c.jitter(), c.timeout(), c.lease(),
                c.allowHosts().orElse(List.of()));
    }

    /** Secrets never reach a log line. */
    @Override
    public String toString() {
        return "WebhookSettings[secrets=" + secrets.size() + ", schedule=" + schedule + ", jitter=" + jitter
                + ", timeout=" + timeout + ", lease=" + lease + ", allowHosts=" + allowHosts + "]";
    }
}
