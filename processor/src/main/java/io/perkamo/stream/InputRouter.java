package io.perkamo.stream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Input;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.PartitionCounts;
import io.perkamo.topics.Partitioning;
import io.perkamo.topics.PerkamoHeaders;
import io.perkamo.topics.Topics;

/**
 * First stop of every record on a Space's events topic: decode and validate it, then send it
 * to one of three places. Invalid: the Space's DLQ, original bytes and a reason. Valid but
 * on another partition than the Java partitioner would choose for its user_id (kcat and
 * other librdkafka producers hash differently): back to the events topic on the right
 * partition, so a user's inputs are folded in one task. Otherwise: on to the fold.
 */
final class InputRouter implements Processor<byte[], byte[], Object, Object> {
    private static final Logger log = LoggerFactory.getLogger(InputRouter.class);

    private final InputDecoder decoder;
    private final PartitionCounts partitionCounts;
    private ProcessorContext<Object, Object> context;

    InputRouter(InputDecoder decoder, PartitionCounts partitionCounts) {
        this.decoder = decoder;
        this.partitionCounts = partitionCounts;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        String topic = meta.topic();
        String space = Topics.EVENTS.spaceOf(topic).orElse(null);
        if (space == null) {
            log.warn("Skipping a record of {}: not a Space's events topic", topic);
            return;
        }
        Instant recordTime = Instant.ofEpochMilli(record.timestamp());
        InputDecoder.Decoded decoded = decoder.decode(topic, record.value(), recordTime);
        if (decoded instanceof InputDecoder.Refused refused) {
            toDlq(record, meta, refused.code(), refused.message());
            return;
        }
        Input input = ((InputDecoder.Accepted) decoded).input();
        byte[] userKey = input.userId().getBytes(StandardCharsets.UTF_8);
        if (record.key() != null && !Arrays.equals(record.key(), userKey)) {
            toDlq(record, meta, ErrorCodes.KEY_MISMATCH,
                    "the record key must be the user_id (UTF-8); it differs from user_id in the value");
            return;
        }
        int expected = Partitioning.partitionOf(userKey, partitionCounts.of(topic));
        boolean wrongPlace = record.key() == null || meta.partition() != expected;
        if (wrongPlace && record.headers().lastHeader(PerkamoHeaders.REROUTED) == null) {
            Headers headers = new RecordHeaders(record.headers().toArray());
            headers.add(PerkamoHeaders.REROUTED, new byte[] {1});
            context.forward(new Record<Object, Object>(userKey, record.value(), record.timestamp(), headers),
                    PerkamoTopology.REROUTE_SINK);
            return;
        }
        if (wrongPlace) {
            // Moved once already and still not where murmur2 says: the partition count changed
            // in between. Fold here rather than bounce forever.
            log.warn("Rerouted record for topic {} landed on partition {} instead of {}; folding it here",
                    topic, meta.partition(), expected);
        }
        context.forward(record.withKey((Object) input.userId()).withValue(new RoutedInput(space, input, record.value())),
                PerkamoTopology.FOLD);
    }

    private void toDlq(Record<byte[], byte[]> record, RecordMetadata meta, String code, String message) {
        log.debug("DLQ {} {}@{}: {}", code, meta.topic(), meta.offset(), message);
        context.forward(DeadLetters.of(record.key(), record.value(), record.timestamp(), record.headers(),
                meta, code, message), PerkamoTopology.DLQ_SINK);
    }
}
