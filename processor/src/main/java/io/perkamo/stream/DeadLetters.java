package io.perkamo.stream;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import io.perkamo.topics.DeadLetterHeaders;

/** A DLQ record: the original key and bytes, and headers saying why and where from. */
final class DeadLetters {
    private DeadLetters() {
    }

    static Record<Object, Object> of(byte[] key, byte[] value, long timestamp, Headers original,
                                     RecordMetadata source, String code, String message) {
        return new Record<>(key, value, timestamp, DeadLetterHeaders.of(original, code, message, source.topic(),
                source.partition(), source.offset()));
    }
}
