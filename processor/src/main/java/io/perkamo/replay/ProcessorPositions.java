package io.perkamo.replay;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.perkamo.topics.KafkaClients;

/**
 * How far the live processor has committed on the events topic (its Streams application id
 * is the consumer group). With exactly-once, an input below these offsets has its profile
 * record committed too: an audit that finds a live profile behind them has found a loss, not
 * a processor that is simply still working. Read only; nothing is committed.
 */
final class ProcessorPositions {
    private ProcessorPositions() {
    }

    /** Per partition of {@code topic}, the committed offset; empty when the group has none. */
    static Map<Integer, Long> committed(String bootstrap, String groupId, String topic) {
        Map<Integer, Long> out = new HashMap<>();
        try (Admin admin = KafkaClients.admin(bootstrap, "perkamo-replay-positions")) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            offsets.forEach((tp, om) -> {
                if (tp.topic().equals(topic) && om != null) {
                    out.put(tp.partition(), om.offset());
                }
            });
        } catch (ExecutionException | TimeoutException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        return out;
    }
}
