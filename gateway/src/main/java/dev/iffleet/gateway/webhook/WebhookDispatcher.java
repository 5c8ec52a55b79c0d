package dev.iffleet.gateway.webhook;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.job.JobRecord;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.gateway.events.EventPayloads;
import dev.iffleet.gateway.submit.JobOwner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Turns job events into webhook deliveries and delivers them on a persistent schedule kept in Redis, so any
 * replica (or a restarted gateway) carries on where another stopped; at-least-once, {@code webhook-id} dedupes.
 */
public final class WebhookDispatcher {

    /** Job hash field holding the webhook URL (written at submission). */
    public static final String URL_FIELD = "webhook.url";
    /** Job hash field holding the comma-separated event filter: start, stage, progress, completed. */
    public static final String EVENTS_FIELD = "webhook.events";
    /** The names allowed in a job's {@code webhook_events_filter}. */
    public static final Set<String> FILTERS = Set.of("start", "stage", "progress", "completed");

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    private final RedisStore redis;
    private final Keys keys;
    private final DeliveryStore store;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final SigningSecrets secrets;
    private final Clock clock;

    /** A dispatcher that signs every delivery with the gateway-wide secrets of {@code settings}. */
    public WebhookDispatcher(RedisStore redis, Keys keys, Duration jobTtl, WebhookSettings settings, Clock clock) {
        this(redis, keys, jobTtl, settings, SigningSecrets.gatewayWide(settings.secrets()), clock);
    }

    /** @param secrets gives each attempt's secrets: its job's API key's, else gateway-wide ones */
    public WebhookDispatcher(RedisStore redis, Keys keys, Duration jobTtl, WebhookSettings settings,
            SigningSecrets secrets, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.settings = settings;
        this.secrets = secrets;
        this.clock = clock;
        Duration schedule = settings.schedule().stream().reduce(Duration.ZERO, Duration::plus);
        this.store = new DeliveryStore(redis, keys, jobTtl.plus(schedule).plus(Duration.ofDays(1)));
        this.sender = new WebhookSender(settings.timeout(), settings.allowHosts());
    }

    /** Creates and schedules a delivery for an event when its job has a webhook whose filter takes it. */
    public Optional<String> enqueue(JobEvent e) {
        List<String> fields = redis.text().hmget(keys.job(e.jobId()), URL_FIELD, EVENTS_FIELD, JobOwner.FIELD).stream()
                .map(kv -> kv.getValueOrElse(null)).toList();
        String url = fields.get(0);
        if (url == null || url.isBlank() || !wanted(e, fields.get(1))) {
            return Optional.empty();
        }
        long now = clock.millis();
        // derived from the event, not random: an event consumed again (a gateway that died before committing
        // its Kafka offset) maps to the same delivery, so the receiver never sees a second webhook-id for it
        String id = deliveryId(e);
        if (redis.exists(store.key(id))) {
            return Optional.of(id);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", EventPayloads.name(e));
        body.put("timestamp", Instant.ofEpochMilli(now).toString());
        body.put("data", EventPayloads.data(e, e.type() == JobEvent.Type.SUCCEEDED ? record(e.jobId()) : Optional.empty()));
        long first = now + jittered(settings.schedule().get(0));
        store.create(new Delivery(id, e.jobId(), fields.get(2), EventPayloads.name(e), url, Json.write(body),
                Delivery.Status.PENDING, 0, first, null, null, now));
        return Optional.of(id);
    }

    static String deliveryId(JobEvent e) {
        String identity = e.jobId() + "|" + e.type().id() + "|" + (e.stage() == null ? "" : e.stage().id()) + "|"
                + e.step() + "|" + e.at();
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "msg_" + java.util.HexFormat.of().formatHex(h, 0, 16);
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private Optional<JobRecord> record(String jobId) {
        try {
            Map<String, String> h = redis.getHash(keys.job(jobId));
            return h.isEmpty() ? Optional.empty() : Optional.of(JobRecord.fromHash(jobId, h));
        } catch (RuntimeException unreadable) {
            return Optional.empty(); // the body then lists no images; the job view still has them
        }
    }

    /** Whether a filter (comma-separated; empty or absent = every event) takes an event; terminal events always pass. */
    static boolean wanted(JobEvent e, String filter) {
        String type = e.type().id();
        if (type.equals("succeeded") || type.equals("failed") || type.equals("canceled")) {
            return true;
        }
        if (filter == null || filter.isBlank()) {
            return true;
        }
        Set<String> f = Arrays.stream(filter.split(",")).map(String::trim).collect(Collectors.toSet());
        return switch (type) {
            case "stage.started" -> f.contains("stage") || f.contains("start") && e.stage() == Stage.ENCODE;
            case "stage.completed" -> f.contains("stage");
            case "progress", "preview" -> f.contains("progress");
            default -> false;
        };
    }

    /** Claims the deliveries due now (each reserved for the lease) for this replica. */
    public List<String> claimDue(int max) {
        long now = clock.millis();
        return store.claimDue(now, now + settings.lease().toMillis(), max);
    }

    /** Claims and delivers every due delivery in the calling thread (tests, and a single-threaded poller). */
    public int runDue() {
        List<String> due = claimDue(100);
        due.forEach(this::deliver);
        return due.size();
    }

    /** What one call of {@link #deliver} did: its job (null when skipped) and an outcome label for the counter. */
    public record Attempted(String jobId, String outcome) {}

    /** Makes one attempt of a claimed delivery and records its outcome and next step. */
    public Attempted deliver(String id) {
        Optional<Delivery> found = store.find(id);
        if (found.isEmpty() || found.get().status() != Delivery.Status.PENDING) {
            store.unschedule(id); // expired, or finished by another replica
            return new Attempted(null, "skipped");
        }
        Delivery d = found.get();
        int attempt = store.startAttempt(id);
        long now = clock.millis();
        WebhookSender.Result r;
        try {
            // the secrets of this moment: an attempt after a rotation is signed with the new set
            WebhookSigner signer = new WebhookSigner(secrets.forKey(d.keyId(), now));
            r = sender.send(id, d.url(), d.body(), now, signer);
        } catch (WebhookUrls.UnsafeWebhookUrlException | SigningSecrets.KeyRevokedException refused) {
            store.finishAttempt(id, new Attempt(now, null, refused.getMessage()), Delivery.Status.FAILED, 0);
            return new Attempted(d.jobId(), "refused");
        }
        Attempt outcome = new Attempt(now, r.code(), r.error());
        if (r.code() != null && r.code() >= 200 && r.code() < 300) {
            store.finishAttempt(id, outcome, Delivery.Status.DELIVERED, 0);
            return new Attempted(d.jobId(), "delivered");
        } else if (r.code() != null && r.code() == 410) {
            store.finishAttempt(id, outcome, Delivery.Status.GONE, 0);
            return new Attempted(d.jobId(), "gone");
        } else if (attempt >= settings.schedule().size()) {
            LOG.infof("webhook delivery %s of job %s failed after %d attempts", id, d.jobId(), attempt);
            store.finishAttempt(id, outcome, Delivery.Status.FAILED, 0);
            return new Attempted(d.jobId(), "failed");
        } else {
            long delay = r.retryAfter().map(Duration::toMillis).orElseGet(() -> jittered(settings.schedule().get(attempt)));
            store.finishAttempt(id, outcome, Delivery.Status.PENDING, clock.millis() + delay);
            return new Attempted(d.jobId(), "retry");
        }
    }

    /** Queues a delivery of a job again, now, with a fresh schedule. */
    public boolean redeliver(String jobId, String deliveryId) {
        Optional<Delivery> d = store.find(deliveryId);
        if (d.isEmpty() || !d.get().jobId().equals(jobId)) {
            return false;
        }
        store.requeue(deliveryId, clock.millis());
        return true;
    }

    public Optional<Delivery> find(String deliveryId) {
        return store.find(deliveryId);
    }

    public List<String> deliveriesOf(String jobId) {
        return store.ofJob(jobId);
    }

    public List<Attempt> attempts(String deliveryId) {
        return store.attempts(deliveryId);
    }

    private long jittered(Duration delay) {
        double spread = settings.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Math.max(0, Math.round(delay.toMillis() * (1 + spread)));
    }
}
