package io.perkamo.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Where the sender starts an outcomes partition it has no committed position for. */
class DeliveryStartTest {
    private static final TopicPartition TP = new TopicPartition("perkamo.demo-test.outcomes", 0);
    private static final Instant CREATED = Instant.parse("2026-12-02T10:00:00Z");

    /**
     * Outcomes 0-9 are older than the endpoint; outcome 10, decided after it, is in a transaction
     * that commits just after the time lookup answered "nothing yet". Starting at the end as it
     * is after that commit would skip outcome 10.
     */
    @Test
    void anOutcomeCommittedDuringTheLookupIsNotSkipped() {
        Outcomes consumer = new Outcomes();
        consumer.commitAfterLookup = true;
        assertEquals(10, DeliveryWorker.startOffset(consumer, TP, CREATED));
    }

    @Test
    void startsAtTheFirstOutcomeNotOlderThanTheEndpoint() {
        Outcomes consumer = new Outcomes();
        consumer.found = new OffsetAndTimestamp(4, CREATED.toEpochMilli());
        assertEquals(4, DeliveryWorker.startOffset(consumer, TP, CREATED));
    }

    @Test
    void withNoOutcomeSinceTheEndpointStartsAtTheEnd() {
        assertEquals(10, DeliveryWorker.startOffset(new Outcomes(), TP, CREATED));
    }

    /** A read_committed consumer of one partition whose last stable offset is 10. */
    private static final class Outcomes extends MockConsumer<byte[], byte[]> {
        OffsetAndTimestamp found;
        boolean commitAfterLookup;

        Outcomes() {
            super("earliest");
            assign(List.of(TP));
            updateBeginningOffsets(Map.of(TP, 0L));
            updateEndOffsets(Map.of(TP, 10L));
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
                Map<TopicPartition, Long> timestamps) {
            Map<TopicPartition, OffsetAndTimestamp> answer = new HashMap<>();
            answer.put(TP, found);
            if (commitAfterLookup) {
                updateEndOffsets(Map.of(TP, 11L)); // the transaction with outcome 10 commits
            }
            return answer;
        }
    }
}
