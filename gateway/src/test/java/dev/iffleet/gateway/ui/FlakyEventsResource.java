package dev.iffleet.gateway.ui;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test-only event stream whose first connection ends in the middle of an event, for the page's SSE client: it must
 * drop the cut-off event and reconnect with the id of the last whole one. Keeps the headers of every connection.
 */
@Path("/test/flaky-events")
public class FlakyEventsResource {

    /** Per test run: "Last-Event-ID | Authorization" of each connection, in order. */
    static final Map<String, List<String>> CONNECTIONS = new ConcurrentHashMap<>();

    private static final String FIRST = "retry: 100\n"
            + ": keep-alive\n\n"
            + "id: 0\nevent: progress\ndata: {\"step\":1}\n\n"
            + "id: 1\nevent: note\ndata: first line\ndata:second line\n\n"
            + "id: 7\nevent: progress\ndata: {\"step\":7}\n"; // no blank line: the connection ends before the event does
    private static final String AFTER_1 = "id: 2\r\nevent: completed\r\ndata: {}\r\n\r\n";

    @GET
    public Response events(@QueryParam("run") String run, @HeaderParam("Last-Event-ID") String lastEventId,
            @HeaderParam("Authorization") String authorization) {
        CONNECTIONS.computeIfAbsent(run, r -> new CopyOnWriteArrayList<>()).add(lastEventId + " | " + authorization);
        String body = lastEventId == null ? FIRST : "1".equals(lastEventId) ? AFTER_1 : "";
        return Response.ok(body, "text/event-stream").build();
    }
}
