package io.perkamo.topics;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The headers of a DLQ record: why it was refused and where it came from; the original headers stay. */
public final class DeadLetterHeaders {
    public static final String ERROR_CODE = "perkamo.error.code";
    public static final String ERROR_MESSAGE = "perkamo.error.message";
    public static final String SOURCE_TOPIC = "perkamo.source.topic";
    public static final String SOURCE_PARTITION = "perkamo.source.partition";
    public static final String SOURCE_OFFSET = "perkamo.source.offset";

    /** Code for a record the fold itself failed on (a bug, never the producer's fault). */
    public static final String INTERNAL_ERROR = "internal_error";

    private DeadLetterHeaders() {
    }

    public static Headers of(Headers original, String code, String message, String topic, int partition,
                             long offset) {
        Headers headers = new RecordHeaders(original.toArray());
        headers.add(ERROR_CODE, utf8(code));
        headers.add(ERROR_MESSAGE, utf8(message));
        headers.add(SOURCE_TOPIC, utf8(topic));
        headers.add(SOURCE_PARTITION, utf8(String.valueOf(partition)));
        headers.add(SOURCE_OFFSET, utf8(String.valueOf(offset)));
        return headers;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
