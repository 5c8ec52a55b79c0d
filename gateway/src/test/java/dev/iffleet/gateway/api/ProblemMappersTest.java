package dev.iffleet.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.gateway.submit.InvalidRequestException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which status and problem each failure becomes; cases a running gateway cannot easily be made to hit. */
class ProblemMappersTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void redisUnreachableIsServiceUnavailable() {
        assertProblem(503, "Store unavailable", mappers.store(new RedisConnectionException("connection refused")));
        assertProblem(503, "Store unavailable", mappers.store(new RedisCommandTimeoutException("timed out after 60s")));
        // what Lettuce throws when it rejects commands while disconnected
        assertProblem(503, "Store unavailable", mappers.store(new RedisException("Currently not connected")));
        assertProblem(503, "Store unavailable", mappers.store(new RedisLoadingException("LOADING")));
    }

    @Test
    void errorRedisAnsweredIsAnInternalError() {
        assertProblem(500, "Internal error", mappers.store(new RedisCommandExecutionException("WRONGTYPE")));
    }

    @Test
    void invalidRequestNamesTheField() {
        Response r = mappers.invalid(new InvalidRequestException("sr.steps", "sr.steps must be between 1 and 1000"));

        assertProblem(400, "Invalid request", r);
        assertEquals("sr.steps", ((Problem) r.getEntity()).field());
        assertEquals("sr.steps must be between 1 and 1000", ((Problem) r.getEntity()).detail());
    }

    @Test
    void headersOfTheStatusAreKept() {
        Response r = mappers.web(new NotAllowedException("no DELETE here", "GET", new String[] {"HEAD"}));

        assertProblem(405, "Method Not Allowed", r);
        assertEquals(Set.of("GET", "HEAD"), Set.of(r.getHeaderString("Allow").replace(" ", "").split(",")));
    }

    private static void assertProblem(int status, String title, Response r) {
        assertEquals(status, r.getStatus());
        assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString());
        Problem p = (Problem) r.getEntity();
        assertEquals(status, p.status());
        assertEquals(title, p.title());
    }
}
