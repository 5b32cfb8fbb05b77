package io.perkamo.topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import io.perkamo.schemas.avro.Outcome;

/**
 * A user's latest committed outcomes, read back from the Space's outcomes topic: every outcome
 * of a user is on one partition (the stream writes them keyed by user_id with the Java
 * client's partitioner), so this reads that partition backwards from its end in windows,
 * keeping the user's records, until it has enough or has read {@code scanLimit} records.
 */
public final class UserOutcomes {
    private static final int WINDOW = 2_000;
    private static final Duration POLL = Duration.ofMillis(500);

    /** One outcome and where it is. */
    public record Item(int partition, long offset, Instant timestamp, Outcome outcome) {
    }

    /**
     * @param outcomes newest first, at most the limit asked for
     * @param complete false when the scan stopped at its limit before the partition's beginning
     */
    public record Page(List<Item> outcomes, boolean complete, long scanned) {
        public Page {
            outcomes = List.copyOf(outcomes);
        }
    }

    private final String bootstrap;
    private final Deserializer<Outcome> outcomes;

    public UserOutcomes(String bootstrapServers, WireFormats formats) {
        this.bootstrap = bootstrapServers;
        this.outcomes = Topics.OUTCOMES.valueSerde(formats).deserializer();
    }

    public Page latest(String space, String userId, int limit, long scanLimit) {
        Map<String, Object> config = KafkaClients.consumerConfig(bootstrap, "perkamo-user-outcomes-" + UUID.randomUUID());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, WINDOW);
        byte[] key = userId.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.OUTCOMES.name(space), Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return new Page(List.of(), true, 0);
            }
            TopicPartition tp = new TopicPartition(Topics.OUTCOMES.name(space),
                    Partitioning.partitionOf(key, partitions.size()));
            consumer.assign(List.of(tp));
            long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<Item> found = new ArrayList<>();
            long scanned = 0;
            long windowEnd = end;
            while (windowEnd > begin && found.size() < limit && scanned < scanLimit) {
                long windowStart = Math.max(begin, windowEnd - WINDOW);
                List<Item> window = read(consumer, tp, windowStart, windowEnd, key);
                scanned += windowEnd - windowStart;
                Collections.reverse(window);
                for (Item item : window) {
                    if (found.size() < limit) {
                        found.add(item);
                    }
                }
                windowEnd = windowStart;
            }
            return new Page(found, windowEnd <= begin || found.size() >= limit, scanned);
        }
    }

    /** The user's records in [from, to), oldest first (transaction markers and aborted records are skipped). */
    private List<Item> read(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long from, long to, byte[] key) {
        consumer.seek(tp, from);
        List<Item> out = new ArrayList<>();
        int emptyPolls = 0;
        while (consumer.position(tp) < to && emptyPolls < 3) {
            var records = consumer.poll(POLL).records(tp);
            emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.offset() >= to) {
                    break;
                }
                if (r.value() != null && java.util.Arrays.equals(r.key(), key)) {
                    out.add(new Item(r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()),
                            outcomes.deserialize(r.topic(), r.value())));
                }
            }
        }
        return out;
    }
}
