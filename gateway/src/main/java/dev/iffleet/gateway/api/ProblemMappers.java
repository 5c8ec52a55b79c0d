package dev.iffleet.gateway.api;

import dev.iffleet.gateway.submit.InvalidRequestException;
import dev.iffleet.gateway.submit.SubmitFailedException;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the gateway as a problem body, never as a stack trace or an HTML page. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        Problem p = Problem.of(400, "Invalid request", e.getMessage(), e.field());
        return Response.status(400).type(Problem.MEDIA_TYPE)
                .entity(new Problem(p.type(), p.title(), 400, p.detail(), p.field(), e.code()))
                .build();
    }

    /** A ready problem (409, 410 with a code...) from any resource. */
    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.response();
    }

    @ServerExceptionMapper
    public Response submitFailed(SubmitFailedException e) {
        LOG.warnf("submit failed: %s", e.getMessage());
        return Problem.response(503, "Queue unavailable", e.getMessage(), null);
    }

    /** Redis down, unreachable or still loading is worth a retry (503); an error Redis answered is a bug (500). */
    @ServerExceptionMapper
    public Response store(RedisException e) {
        boolean answered = e instanceof RedisCommandExecutionException
                && !(e instanceof RedisLoadingException || e instanceof RedisBusyException);
        if (answered) {
            return unexpected(e);
        }
        LOG.warnf("job store unavailable: %s", e.getMessage());
        return Problem.response(503, "Store unavailable", "the job store cannot be reached; try again later", null);
    }

    /** Also what Quarkus REST throws itself for an unknown path (404), method (405) or media type (415, 406). */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String detail = status == 415 ? "the request body must be application/json" : e.getMessage();
        Response.ResponseBuilder problem = Response.fromResponse(
                Problem.response(status, known != null ? known.getReasonPhrase() : "Error", detail, null));
        // keep what the status implies, e.g. Allow of a 405 (RFC 9110 15.5.6)
        original.getStringHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(v -> problem.header(name, v));
            }
        });
        return problem.build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return Problem.response(500, "Internal error", "the gateway failed; the error is logged", null);
    }
}
