package io.perkamo.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.input.Input;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.WireFormats;

/**
 * The input an outcome decides, read from the events topic at the offset the outcome names
 * ({@code perkamo.source.offset}): the outcome carries no context, the payload must. Outcomes
 * of a partition name increasing offsets of the same events partition, so the reader mostly
 * moves forward, keeping what it read past the offset asked for until it is asked for next.
 * Used by the worker's thread only.
 */
final class InputLookup implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration GIVE_UP = Duration.ofSeconds(10);
    private static final int KEEP = 5_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final InputDecoder decoder;
    private final Map<TopicPartition, TreeMap<Long, ConsumerRecord<byte[], byte[]>>> read = new HashMap<>();
    private final Set<TopicPartition> assigned = new HashSet<>();

    InputLookup(String bootstrap, WireFormats formats, String clientId) {
        Map<String, Object> c = KafkaClients.consumerConfig(bootstrap, clientId);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        this.consumer = KafkaClients.consumer(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.decoder = new InputDecoder(formats.avroInputs());
    }

    void add(TopicPartition events) {
        if (assigned.add(events)) {
            consumer.assign(new ArrayList<>(assigned));
            consumer.pause(assigned);
        }
    }

    void remove(TopicPartition events) {
        if (assigned.remove(events)) {
            read.remove(events);
            consumer.assign(new ArrayList<>(assigned));
            consumer.pause(assigned);
        }
    }

    /** The context of the input at {@code offset}, empty when it is gone (retention) or unreadable. */
    Optional<ObjectNode> context(TopicPartition events, long offset) {
        Optional<ConsumerRecord<byte[], byte[]>> record = record(events, offset);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        ConsumerRecord<byte[], byte[]> r = record.get();
        InputDecoder.Decoded decoded = decoder.decode(r.topic(), r.value(), Instant.ofEpochMilli(r.timestamp()));
        if (decoded instanceof InputDecoder.Accepted accepted) {
            Input input = accepted.input();
            if (input instanceof Input.Event e) {
                return Optional.of(e.context());
            }
            if (input instanceof Input.Redemption rd) {
                return Optional.of(rd.context());
            }
        }
        return Optional.empty();
    }

    private Optional<ConsumerRecord<byte[], byte[]>> record(TopicPartition tp, long offset) {
        add(tp);
        TreeMap<Long, ConsumerRecord<byte[], byte[]>> kept = read.computeIfAbsent(tp, t -> new TreeMap<>());
        ConsumerRecord<byte[], byte[]> hit = kept.get(offset);
        if (hit == null) {
            long position = consumer.position(tp);
            if (position > offset || offset - position > 100_000) {
                // asked again for something behind us (a restart), or far ahead: jump
                kept.clear();
                consumer.seek(tp, offset);
            }
            consumer.resume(List.of(tp));
            try {
                long deadline = System.nanoTime() + GIVE_UP.toNanos();
                while (hit == null) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(tp)) {
                        if (r.offset() >= offset) {
                            kept.put(r.offset(), r);
                        }
                    }
                    hit = kept.get(offset);
                    if (hit == null && (consumer.position(tp) > offset || System.nanoTime() > deadline)) {
                        break; // not there (deleted, or an aborted record): nothing to read
                    }
                }
            } finally {
                consumer.pause(List.of(tp));
            }
        }
        kept.headMap(offset, true).clear();
        while (kept.size() > KEEP) {
            kept.pollLastEntry();
        }
        return Optional.ofNullable(hit);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
