package dev.iffleet.gateway.api;

import dev.iffleet.core.queue.Json;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses an API request that declares a body over {@code quarkus.http.limits.max-body-size} with a 413
 * problem; it runs just before Quarkus' own check, which would answer the same status with no body.
 */
@ApplicationScoped
public class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    void install(@Observes Router router) {
        maxBodySize.ifPresent(max -> router.route("/v1/*")
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(ctx -> check(ctx, max.asLongValue())));
    }

    private static void check(RoutingContext ctx, long limit) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || !declaredOver(length, limit)) {
            ctx.next();
            return;
        }
        Problem problem = Problem.of(413, "Content Too Large",
                "the request body is over the limit of " + limit + " bytes", null);
        // the client may still be sending the body: close rather than read it, as Quarkus does
        ctx.response().endHandler(done -> ctx.request().connection().close());
        ctx.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.write(problem));
    }

    private static boolean declaredOver(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // not ours to judge: Quarkus and Vert.x refuse a malformed length
        }
    }
}
