package dev.iffleet.gateway.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.iffleet.gateway.OpenApiDocs;
import dev.iffleet.gateway.api.JobAccess;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** A job's webhook deliveries: each with its attempts, and a way to send one again. */
@Path("/v1/jobs/{id}/deliveries")
@SecurityRequirement(name = OpenApiDocs.API_KEY)
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class DeliveriesResource {

    /** A delivery as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DeliveryView(String id, String event, String url, String status, int attempts, Long nextAt,
            List<Attempt> attemptLog) {}

    @Inject
    WebhookService webhooks;

    @Inject
    JobAccess access;

    @GET
    public Map<String, List<DeliveryView>> list(@PathParam("id") String jobId, @Context SecurityContext caller) {
        access.find(jobId, caller);
        WebhookDispatcher d = webhooks.dispatcher();
        return Map.of("deliveries", d.deliveriesOf(jobId).stream()
                .flatMap(id -> d.find(id).stream())
                .map(this::view)
                .toList());
    }

    @POST
    @Path("{delivery}/redeliver")
    public Response redeliver(@PathParam("id") String jobId, @PathParam("delivery") String deliveryId,
            @Context SecurityContext caller) {
        access.find(jobId, caller);
        if (!deliveryId.matches("msg_[0-9a-f]{32}") || !webhooks.dispatcher().redeliver(jobId, deliveryId)) {
            throw new NotFoundException("job " + jobId + " has no delivery " + deliveryId);
        }
        return Response.accepted(view(webhooks.dispatcher().find(deliveryId).orElseThrow())).build();
    }

    private DeliveryView view(Delivery d) {
        return new DeliveryView(d.id(), d.event(), d.url(), d.status().id(), d.attempts(),
                d.status() == Delivery.Status.PENDING ? d.nextAt() : null, webhooks.dispatcher().attempts(d.id()));
    }
}
