package dev.iffleet.gateway.auth;

import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.gateway.api.Problem;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * With {@code fleet.auth.enabled}, lets a {@code /v1/*} request through only with a known API key, and a job
 * submission ({@code POST /v1/jobs}, {@code PUT /v1/jobs/{id}}) only within the key's rate and concurrent-job quota:
 * a submission reserves its place in the quota before it runs and settles it when answered.
 * Logs name a key by its name and hash prefix, never by its value.
 */
public class AuthFilter {

    static final String KEY_PROPERTY = "dev.iffleet.gateway.auth.key";
    static final String RESERVATION_PROPERTY = "dev.iffleet.gateway.auth.reservation";
    /**
     * How long a submission may hold its quota place before it lapses: more than the longest submission (10 s for
     * Kafka, 12 s waiting for an idempotent twin, 60 s of {@code Prefer: wait}).
     */
    static final Duration RESERVATION = Duration.ofMinutes(2);
    private static final Logger LOG = Logger.getLogger(AuthFilter.class);
    private static final String BEARER = "Bearer ";

    @Inject
    AuthConfig config;

    @Inject
    RedisStore redis;

    @Inject
    JobStore jobs;

    private ApiKeyStore store;
    private AccessLimits limits;

    @PostConstruct
    void init() {
        AuthKeys keys = new AuthKeys(jobs.keys().prefix());
        store = new ApiKeyStore(redis, keys);
        limits = new AccessLimits(redis, keys, jobs.maxRetention(), RESERVATION);
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext ctx) {
        if (!config.enabled() || !guarded(ctx)) {
            return Uni.createFrom().nullItem();
        }
        Uni<Response> check = Uni.createFrom().item(() -> decide(ctx));
        // Redis calls block: off the event loop for non-blocking resources (the event stream)
        return Context.isOnEventLoopThread() ? check.runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) : check;
    }

    /** Turns the submission's quota reservation into its job, or gives it back when no job was made. */
    @ServerResponseFilter
    public void settleReservation(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(KEY_PROPERTY) instanceof ApiKey key)
                || !(request.getProperty(RESERVATION_PROPERTY) instanceof String token)) {
            return;
        }
        request.removeProperty(RESERVATION_PROPERTY);
        String jobId = response.getStatus() == 202 ? createdJob(response.getLocation()) : null;
        try {
            limits.settle(key.hash(), token, jobId);
        } catch (RuntimeException e) {
            LOG.warnf("quota place of API key %s not settled (job %s); it lapses by itself: %s", key, jobId, e.getMessage());
        }
    }

    private static String createdJob(URI location) {
        String path = location == null ? null : location.getPath();
        return path == null || path.lastIndexOf('/') < 0 ? null : path.substring(path.lastIndexOf('/') + 1);
    }

    private Response decide(ContainerRequestContext ctx) {
        String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return unauthorized(null, "this API needs an API key: Authorization: Bearer <key>");
        }
        String presented = header.substring(BEARER.length()).trim();
        Optional<ApiKey> found = ApiKeys.wellFormed(presented) ? store.findByKey(presented) : Optional.empty();
        if (found.isEmpty()) {
            LOG.debugf("unknown API key refused (hash %s)", ApiKeys.shortHash(ApiKeys.hash(presented)));
            return unauthorized("invalid_token", "the API key is not valid");
        }
        ApiKey key = found.get();
        ctx.setProperty(KEY_PROPERTY, key);
        SecurityContext before = ctx.getSecurityContext();
        ctx.setSecurityContext(new KeyCaller(key, before != null && before.isSecure()));
        if (!submission(ctx)) {
            return null;
        }
        long now = System.currentTimeMillis();
        int maxConcurrent = key.maxConcurrent(config);
        Optional<String> reservation = Optional.empty();
        if (maxConcurrent > 0) {
            reservation = limits.reserve(key.hash(), maxConcurrent, now);
            if (reservation.isEmpty()) {
                LOG.infof("API key %s refused a job: %d unfinished jobs already", key, maxConcurrent);
                return tooMany(Math.max(1, config.quotaRetryAfter().toSeconds()), "quota_exceeded",
                        "this API key may have " + maxConcurrent + " unfinished jobs at once");
            }
        }
        OptionalLong retryAfter = limits.takeSubmission(key.hash(), key.ratePerMinute(config), now);
        if (retryAfter.isPresent()) {
            reservation.ifPresent(token -> limits.settle(key.hash(), token, null));
            LOG.infof("API key %s refused a job: over %d submissions a minute", key, key.ratePerMinute(config));
            return tooMany(retryAfter.getAsLong(), "rate_limited",
                    "this API key may submit " + key.ratePerMinute(config) + " jobs a minute");
        }
        reservation.ifPresent(token -> ctx.setProperty(RESERVATION_PROPERTY, token));
        return null;
    }

    /** Only the API: not /q/* (health, OpenAPI), not static files, not CORS preflights. */
    private static boolean guarded(ContainerRequestContext ctx) {
        String path = path(ctx);
        return (path.equals("/v1") || path.startsWith("/v1/")) && !"OPTIONS".equals(ctx.getMethod());
    }

    static boolean submission(ContainerRequestContext ctx) {
        return isSubmission(ctx.getMethod(), path(ctx));
    }

    static boolean isSubmission(String method, String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return ("POST".equals(method) && p.equals("/v1/jobs"))
                || ("PUT".equals(method) && p.startsWith("/v1/jobs/") && p.indexOf('/', "/v1/jobs/".length()) < 0);
    }

    private static String path(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getRequestUri().getPath();
        return path == null ? "" : path;
    }

    private static Response unauthorized(String error, String detail) {
        String challenge = "Bearer realm=\"if-fleet\"" + (error == null ? "" : ", error=\"" + error + "\"");
        return Response.status(401).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .entity(Problem.of(401, "Unauthorized", detail, null))
                .build();
    }

    private static Response tooMany(long retryAfterSeconds, String code, String detail) {
        Problem p = Problem.of(429, "Too Many Requests", detail, null);
        return Response.status(429).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .entity(new Problem(p.type(), p.title(), 429, detail, null, code))
                .build();
    }
}
