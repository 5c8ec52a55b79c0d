package dev.iffleet.launcher;

import dev.iffleet.core.job.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the docker-compose file of a fleet with N replicas per stage, each worker replica pinned to a GPU of its own
 * ({@code docker-compose.yml} is this with one replica per stage). Kafka, Redis and the gateway come verbatim from
 * {@code compose/head.yml}; each worker replica is a service of its own, because a compose service's {@code replicas}
 * all share one device reservation, which would stack them on one card.
 */
final class ComposeFile {

    private static final String WORKER = """
              %s:
                <<: *worker
                deploy:
                  resources:
                    reservations:
                      # one card per worker, pinned: `count: 1` would give every container the host's GPU 0
                      devices:
                        - driver: nvidia
                          device_ids: ["%s"]
                          capabilities: [gpu]
                build: {context: ./%s, dockerfile: Dockerfile}
                image: if-fleet/%s:0.1.0-SNAPSHOT
                environment:
                  <<: *worker-env
                  FLEET_WORKER_REPLICA: "%d"
            """;
    private static final String TAIL = """
            volumes:
              kafka-data:
              redis-data:
            """;

    private ComposeFile() {}

    /**
     * @param replicas replicas per worker service (1 if absent)
     * @param gpus host GPU ids per worker service, one per replica; absent: the next free ones in cascade order
     */
    static String render(Map<Service, Integer> replicas, Map<Service, List<String>> gpus) {
        Map<Service, List<String>> cards = assignGpus(replicas, gpus);
        StringBuilder out = new StringBuilder(head());
        for (Service s : Service.values()) {
            if (!s.isWorker()) {
                continue;
            }
            for (int i = 0; i < replicas.getOrDefault(s, 1); i++) {
                String service = serviceName(s, i);
                // topics and the consumer group come from FLEET_NAME (workers derive them, as fleet-core's Topics)
                out.append(WORKER.formatted(service, cards.get(s).get(i), s.module(), s.module(), i)).append('\n');
            }
        }
        return out.append(TAIL).toString();
    }

    /** The compose service of replica {@code i} of a worker: its module's name, then {@code <module>-1}, ... */
    static String serviceName(Service s, int i) {
        return i == 0 ? s.module() : s.module() + "-" + i;
    }

    /** Given GPUs where listed (one per replica), the lowest unused ids elsewhere; a GPU is never given twice. */
    static Map<Service, List<String>> assignGpus(Map<Service, Integer> replicas, Map<Service, List<String>> gpus) {
        Map<String, String> taken = new HashMap<>();
        Map<Service, List<String>> out = new EnumMap<>(Service.class);
        for (Map.Entry<Service, List<String>> e : gpus.entrySet()) {
            int n = replicas.getOrDefault(e.getKey(), 1);
            if (e.getValue().size() != n) {
                throw new IllegalArgumentException(e.getKey().stage() + ": " + n + " replicas need " + n
                        + " GPUs (one each), got " + e.getValue());
            }
            for (String g : e.getValue()) {
                if (!g.matches("\\d+")) {
                    throw new IllegalArgumentException(e.getKey().stage() + ": a GPU is a host device id (0, 1, ...), got '" + g + "'");
                }
                String before = taken.put(g, e.getKey().stage());
                if (before != null) {
                    throw new IllegalArgumentException("GPU " + g + " is given to " + before + " and " + e.getKey().stage()
                            + ": each worker replica holds a GPU of its own");
                }
            }
            out.put(e.getKey(), List.copyOf(e.getValue()));
        }
        int next = 0;
        for (Service s : Service.values()) {
            if (!s.isWorker() || out.containsKey(s)) {
                continue;
            }
            List<String> list = new ArrayList<>();
            for (int i = 0; i < replicas.getOrDefault(s, 1); i++) {
                while (taken.containsKey(String.valueOf(next))) {
                    next++;
                }
                taken.put(String.valueOf(next), s.stage());
                list.add(String.valueOf(next));
            }
            out.put(s, list);
        }
        return out;
    }

    private static String head() {
        try (InputStream in = ComposeFile.class.getResourceAsStream("/compose/head.yml")) {
            if (in == null) {
                throw new IllegalStateException("compose/head.yml is missing from the launcher's classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
