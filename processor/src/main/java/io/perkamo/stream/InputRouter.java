package io.perkamo.stream;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.schemas.input.Input;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.InputRouting;
import io.perkamo.topics.PartitionCounts;
import io.perkamo.topics.PerkamoHeaders;
import io.perkamo.topics.Topics;

/**
 * First stop of every record on a Space's events topic: {@link InputRouting} decides (replay
 * decides through it too) and this sends the record to one of three places. Invalid: the
 * Space's DLQ, original bytes and a reason. Valid but on another partition than the Java
 * partitioner would choose for its user_id (kcat and other librdkafka producers hash
 * differently): back to the events topic on the right partition, so a user's inputs are
 * folded in one task. Otherwise: on to the fold.
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
        InputRouting.Route route = InputRouting.route(decoder, topic, meta.partition(), partitionCounts,
                record.key(), record.value(), record.timestamp(),
                record.headers().lastHeader(PerkamoHeaders.REROUTED) != null);
        if (route instanceof InputRouting.Refuse refuse) {
            toDlq(record, meta, refuse.code(), refuse.message());
        } else if (route instanceof InputRouting.Move move) {
            Headers headers = new RecordHeaders(record.headers().toArray());
            headers.add(PerkamoHeaders.REROUTED, new byte[] {1});
            // the sink's partitioner puts it on move.partition(): murmur2 of the same key
            context.forward(new Record<Object, Object>(move.userKey(), record.value(), record.timestamp(), headers),
                    PerkamoTopology.REROUTE_SINK);
        } else {
            InputRouting.Fold fold = (InputRouting.Fold) route;
            if (fold.misplaced()) {
                log.warn("Rerouted record for topic {} landed on partition {}, not where its user_id hashes to;"
                        + " folding it here", topic, meta.partition());
            }
            Input input = fold.input();
            context.forward(record.withKey((Object) input.userId())
                    .withValue(new RoutedInput(space, input, record.value())), PerkamoTopology.FOLD);
        }
    }

    private void toDlq(Record<byte[], byte[]> record, RecordMetadata meta, String code, String message) {
        log.debug("DLQ {} {}@{}: {}", code, meta.topic(), meta.offset(), message);
        context.forward(DeadLetters.of(record.key(), record.value(), record.timestamp(), record.headers(),
                meta, code, message), PerkamoTopology.DLQ_SINK);
    }
}
