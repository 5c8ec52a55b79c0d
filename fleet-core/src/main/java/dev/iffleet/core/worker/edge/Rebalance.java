package dev.iffleet.core.worker.edge;

import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Cooperative rebalancing seen from one replica: before a partition moves away, what this replica finished of it is
 * committed, so its new owner neither loses nor repeats work; records still unfinished go with the partition.
 */
final class Rebalance implements ConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(Rebalance.class);

    private final StageEdge edge;

    Rebalance(StageEdge edge) {
        this.edge = edge;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        edge.awaitCompletions(java.time.Duration.ofSeconds(30));
        try {
            edge.commit(true);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("commit before giving up %s failed: %s", partitions, e.getMessage());
        }
        edge.revoked(partitions);
        LOG.infof("gave up partitions %s", partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.infof("took partitions %s", partitions);
            edge.assigned();
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        // the group moved on without us: nothing may be committed for them any more
        edge.revoked(partitions);
    }
}
