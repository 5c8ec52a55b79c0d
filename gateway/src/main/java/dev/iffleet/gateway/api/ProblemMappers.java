package dev.iffleet.gateway.api;

import dev.iffleet.gateway.submit.InvalidRequestException;
import dev.iffleet.gateway.submit.SubmitFailedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the gateway as a problem body, never as a stack trace or an HTML page. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return Problem.response(400, "Invalid request", e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response submitFailed(SubmitFailedException e) {
        LOG.warnf("submit failed: %s", e.getMessage());
        return Problem.response(503, "Queue unavailable", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        return Problem.response(status, title, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return Problem.response(500, "Internal error", "the gateway failed; the error is logged", null);
    }
}
