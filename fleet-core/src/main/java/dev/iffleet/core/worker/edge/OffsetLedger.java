package dev.iffleet.core.worker.edge;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition this replica took and which it finished, so that only a contiguous prefix is
 * committed: a record still running, or handed back by a drain, holds the partition's commit at its offset and is
 * redelivered to whoever owns the partition next. Thread-safe: the completion thread finishes, the poll thread commits.
 */
final class OffsetLedger {

    private final Map<TopicPartition, TreeSet<Long>> open = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    synchronized void taken(TopicPartition tp, long offset) {
        open.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
        next.merge(tp, offset + 1, Math::max);
    }

    synchronized void done(TopicPartition tp, long offset) {
        TreeSet<Long> o = open.get(tp);
        if (o != null) {
            o.remove(offset);
        }
    }

    /** Offsets to commit now: per partition, the first still open (or one past the last taken), if it moved. */
    synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        next.forEach((tp, after) -> {
            TreeSet<Long> o = open.get(tp);
            long upTo = o == null || o.isEmpty() ? after : o.first();
            Long last = committed.get(tp);
            if (last == null || upTo > last) {
                out.put(tp, new OffsetAndMetadata(upTo));
            }
        });
        return out;
    }

    /** Records that {@code offsets} reached Kafka. */
    synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, om) -> committed.merge(tp, om.offset(), Math::max));
    }

    /** Whether nothing taken is still open. */
    synchronized boolean settled() {
        return open.values().stream().allMatch(TreeSet::isEmpty);
    }

    /** Forgets partitions this replica no longer owns (revoked or lost). */
    synchronized void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            open.remove(tp);
            next.remove(tp);
            committed.remove(tp);
        });
    }
}
