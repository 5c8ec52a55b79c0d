package dev.iffleet.core.worker.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLedgerTest {

    private static final TopicPartition P0 = new TopicPartition("if.stage1", 0);
    private static final TopicPartition P1 = new TopicPartition("if.stage1", 1);

    @Test
    void commitsOnlyUpToTheFirstUnfinishedOffset() {
        OffsetLedger l = new OffsetLedger();
        l.taken(P0, 5);
        l.taken(P0, 6);
        l.taken(P0, 7);
        l.done(P0, 6);
        l.done(P0, 7);
        assertEquals(Map.of(P0, new OffsetAndMetadata(5)), l.committable(), "5 still runs: nothing past it");
        l.done(P0, 5);
        assertEquals(Map.of(P0, new OffsetAndMetadata(8)), l.committable(), "all done: the next offset to read");
        assertTrue(l.settled());
    }

    @Test
    void aCommittedOffsetIsNotOfferedAgainAndPartitionsAreIndependent() {
        OffsetLedger l = new OffsetLedger();
        l.taken(P0, 0);
        l.taken(P1, 10);
        l.done(P0, 0);
        Map<TopicPartition, OffsetAndMetadata> first = l.committable();
        assertEquals(Map.of(P0, new OffsetAndMetadata(1), P1, new OffsetAndMetadata(10)), first);
        l.committed(first);
        assertEquals(Map.of(), l.committable());
        assertFalse(l.settled(), "10 is still open");
    }

    @Test
    void aHandedBackRecordHoldsItsPartitionUntilForgotten() {
        OffsetLedger l = new OffsetLedger();
        l.taken(P0, 3);
        l.taken(P0, 4);
        l.done(P0, 4);
        l.committed(l.committable());
        assertEquals(Map.of(), l.committable(), "3 was never finished: the partition stays at 3");
        l.forget(List.of(P0));
        assertTrue(l.settled());
        assertEquals(Map.of(), l.committable());
    }
}
