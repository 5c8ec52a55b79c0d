package dev.iffleet.core.queue;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * Makes sure a fleet's topics exist with at least the configured partitions before anything writes to them: a topic
 * the broker auto-creates on first write gets its default partition count (often 1), which no replica count can undo.
 */
public final class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);
    private static final long WAIT_S = 30;

    private TopicSetup() {}

    /** Creates missing topics with {@code partitions} partitions and grows existing ones that have fewer. */
    public static void ensure(Map<String, Object> kafka, Collection<String> topics, int partitions) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.putIfAbsent("request.timeout.ms", 10_000);
        try (Admin admin = Admin.create(c)) {
            List<String> existing = new java.util.ArrayList<>();
            for (String t : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(t, Optional.of(partitions), Optional.empty())))
                            .all().get(WAIT_S, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t + ": " + e.getCause().getMessage(), e);
                    }
                    existing.add(t);
                }
            }
            if (!existing.isEmpty()) {
                grow(admin, existing, partitions);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set up topics " + topics + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up topics", e);
        }
    }

    /** Grows topics that exist with fewer partitions (one created a moment ago may not be described yet: retried). */
    private static void grow(Admin admin, List<String> topics, int partitions)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, TopicDescription> found = null;
        for (int attempt = 1; found == null; attempt++) {
            try {
                found = admin.describeTopics(topics).allTopicNames().get(WAIT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == 10) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        Map<String, NewPartitions> grow = new HashMap<>();
        found.forEach((t, d) -> {
            if (d.partitions().size() < partitions) {
                LOG.infof("topic %s has %d partitions; growing it to %d", t, d.partitions().size(), partitions);
                grow.put(t, NewPartitions.increaseTo(partitions));
            }
        });
        for (Map.Entry<String, NewPartitions> g : grow.entrySet()) {
            try {
                admin.createPartitions(Map.of(g.getKey(), g.getValue())).all().get(WAIT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // services start together: another one may have grown the topic a moment ago, which is as good
                if (!(e.getCause() instanceof InvalidPartitionsException)) {
                    throw e;
                }
            }
        }
    }
}
