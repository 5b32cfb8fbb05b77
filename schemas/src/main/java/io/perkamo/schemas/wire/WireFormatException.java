package io.perkamo.schemas.wire;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes are not a readable Confluent wire-format record: a bad record, not a broken
 * system, so the stream sends it to the DLQ. code is one of
 * {@link io.perkamo.schemas.input.ErrorCodes#UNKNOWN_MAGIC_BYTE},
 * {@link io.perkamo.schemas.input.ErrorCodes#INVALID_AVRO} or
 * {@link io.perkamo.schemas.input.ErrorCodes#UNKNOWN_SCHEMA}.
 */
public final class WireFormatException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final String code;

    WireFormatException(String code, String message) {
        super(message);
        this.code = code;
    }

    WireFormatException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The stable error code (see {@link io.perkamo.schemas.input.ErrorCodes}). */
    public String code() {
        return code;
    }
}
