package io.perkamo.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.TopicsException;

/**
 * A Space's events topic on the cluster, read as the processor reads it: read_committed,
 * every partition from its first offset up to the end it has when this opens (or the first
 * record at or after {@code to}). No group, nothing committed, nothing written.
 */
public final class KafkaEventLog implements EventLog {
    private static final Duration POLL = Duration.ofMillis(200);
    /** No record arriving for this long while short of the end: the broker is gone, say so. */
    private static final Duration STALL = Duration.ofSeconds(60);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private final long expected;

    /** Opens the topic and fixes where reading ends. */
    public KafkaEventLog(String bootstrap, String topic, Optional<Instant> to) {
        this.topic = topic;
        Map<String, Object> config = KafkaClients.consumerConfig(bootstrap, "perkamo-replay");
        // large fetches: a replay reads everything once, as fast as the broker hands it out
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
        this.consumer = KafkaClients.consumer(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            if (infos == null || infos.isEmpty()) {
                throw new TopicsException("topic " + topic + " does not exist");
            }
            List<TopicPartition> tps = new ArrayList<>();
            infos.forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            tps.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
            this.partitions = List.copyOf(tps);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
            // read_committed: the last stable offset, so an open transaction's records are not waited for
            ends.putAll(consumer.endOffsets(partitions));
            if (to.isPresent()) {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(tp -> query.put(tp, to.get().toEpochMilli()));
                for (Map.Entry<TopicPartition, OffsetAndTimestamp> e : consumer.offsetsForTimes(query).entrySet()) {
                    if (e.getValue() != null) {
                        ends.merge(e.getKey(), e.getValue().offset(), Math::min);
                    }
                }
            }
            long total = 0;
            for (TopicPartition tp : partitions) {
                total += Math.max(0, ends.get(tp) - begins.getOrDefault(tp, 0L));
            }
            this.expected = total;
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(1));
            throw e;
        }
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public int partitions() {
        return partitions.size();
    }

    @Override
    public long expectedRecords() {
        return expected;
    }

    /** Where reading ends, per partition (exclusive). */
    public Map<Integer, Long> endOffsets() {
        Map<Integer, Long> out = new HashMap<>();
        ends.forEach((tp, end) -> out.put(tp.partition(), end));
        return out;
    }

    @Override
    public void read(Sink sink) throws InterruptedException {
        List<TopicPartition> open = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < ends.get(tp)) {
                open.add(tp);
            }
        }
        consumer.assign(open);
        long lastProgress = System.nanoTime();
        while (!open.isEmpty()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            if (!records.isEmpty()) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw new TopicsException("no records from " + topic + " for " + STALL.toSeconds()
                        + " s while short of its end; is the broker reachable?");
            }
            for (TopicPartition tp : records.partitions()) {
                long end = ends.get(tp);
                List<ConsumerRecord<byte[], byte[]>> got = records.records(tp);
                List<LogRecord> batch = new ArrayList<>(got.size());
                for (ConsumerRecord<byte[], byte[]> r : got) {
                    if (r.offset() >= end) {
                        break;
                    }
                    batch.add(new LogRecord(r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), r.headers()));
                }
                if (!batch.isEmpty() && !sink.accept(tp.partition(), batch)) {
                    return;
                }
            }
            // a partition is done once its position reaches the end (transaction markers count as offsets)
            boolean changed = open.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
            if (changed) {
                consumer.assign(open);
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
