package io.perkamo.stream;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** A DLQ record: the original key and bytes, and headers saying why and where from. */
public final class DeadLetters {
    public static final String ERROR_CODE = "perkamo.error.code";
    public static final String ERROR_MESSAGE = "perkamo.error.message";
    public static final String SOURCE_TOPIC = "perkamo.source.topic";
    public static final String SOURCE_PARTITION = "perkamo.source.partition";
    public static final String SOURCE_OFFSET = "perkamo.source.offset";

    /** Code for a record the fold itself failed on (a bug, never the producer's fault). */
    public static final String INTERNAL_ERROR = "internal_error";

    private DeadLetters() {
    }

    static Record<Object, Object> of(byte[] key, byte[] value, long timestamp, Headers original,
                                     RecordMetadata source, String code, String message) {
        Headers headers = new RecordHeaders(original.toArray());
        headers.add(ERROR_CODE, utf8(code));
        headers.add(ERROR_MESSAGE, utf8(message));
        headers.add(SOURCE_TOPIC, utf8(source.topic()));
        headers.add(SOURCE_PARTITION, utf8(String.valueOf(source.partition())));
        headers.add(SOURCE_OFFSET, utf8(String.valueOf(source.offset())));
        return new Record<>(key, value, timestamp, headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
