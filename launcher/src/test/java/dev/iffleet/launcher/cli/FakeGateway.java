package dev.iffleet.launcher.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A scripted gateway on loopback: each GET of the job answers the next view of {@code views}, then the last one. */
final class FakeGateway implements AutoCloseable {

    static final String ID = "11111111-2222-3333-4444-555555555555";
    static final String STUCK = "{\"jobs\":[{\"id\":\"" + ID + "\",\"stage\":\"stage1\",\"cause\":\"worker_lost\","
            + "\"detail\":\"worker 0/42@h is gone from the workers hash\",\"since\":1,\"requeues\":1}],"
            + "\"reaper\":{\"enabled\":false}}";
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};

    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final Map<String, String> lastBodies = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final AtomicInteger polls = new AtomicInteger();

    FakeGateway(List<String> views) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/jobs", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/v1/jobs")) {
                lastBodies.put("submit", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                reply(exchange, 202, "application/json",
                        ("{\"id\":\"" + ID + "\",\"status\":\"queued\",\"urls\":{\"get\":\"/v1/jobs/" + ID + "\"}}").getBytes());
            } else if (method.equals("GET") && path.equals("/v1/jobs/stuck")) {
                reply(exchange, 200, "application/json", STUCK.getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("GET") && path.equals("/v1/jobs/" + ID)) {
                int i = Math.min(polls.getAndIncrement(), views.size() - 1);
                reply(exchange, 200, "application/json", views.get(i).getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("GET") && path.equals("/v1/jobs/" + ID + "/images/stage1.png")) {
                reply(exchange, 200, "image/png", PNG);
            } else {
                reply(exchange, 404, "application/problem+json",
                        "{\"title\":\"Not found\",\"status\":404,\"detail\":\"no such job\"}".getBytes());
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int polls() {
        return polls.get();
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
