package io.perkamo.schemas.wire;

import java.nio.ByteBuffer;

import io.perkamo.schemas.input.ErrorCodes;

/** Framing of the Confluent wire format: 0x00, 4-byte big-endian schema id, Avro binary body. */
public final class ConfluentWire {

    public static final byte MAGIC_BYTE = 0x00;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private ConfluentWire() {
    }

    /** An unframed record: the writer schema's registry id and a read-only view of the Avro body. */
    public record Frame(int schemaId, ByteBuffer body) {
    }

    /** Frames an Avro binary body written with the schema registered as schemaId. */
    public static byte[] frame(int schemaId, byte[] avroBody) {
        return ByteBuffer.allocate(HEADER_SIZE + avroBody.length)
                .put(MAGIC_BYTE).putInt(schemaId).put(avroBody).array();
    }

    /** Whether the bytes start like a wire-format frame (magic byte and a full header). */
    public static boolean isFramed(byte[] message) {
        return message != null && message.length >= HEADER_SIZE && message[0] == MAGIC_BYTE;
    }

    /**
     * Splits a frame into schema id and body.
     *
     * @throws WireFormatException with code unknown_magic_byte when the first byte is not 0x00
     *         (JSON starts with '{'), invalid_avro when the header is cut short
     */
    public static Frame parse(byte[] message) {
        if (message == null || message.length == 0) {
            throw new WireFormatException(ErrorCodes.UNKNOWN_MAGIC_BYTE,
                    "empty message: not Confluent wire format (no magic byte)");
        }
        if (message[0] != MAGIC_BYTE) {
            int b = message[0] & 0xff;
            String hint = b == '{' || b == '[' ? " (is this JSON?)" : "";
            throw new WireFormatException(ErrorCodes.UNKNOWN_MAGIC_BYTE,
                    String.format("unknown magic byte 0x%02x: not Confluent wire format%s", b, hint));
        }
        if (message.length < HEADER_SIZE) {
            throw new WireFormatException(ErrorCodes.INVALID_AVRO, "truncated frame: " + message.length
                    + " bytes, a Confluent wire-format header needs " + HEADER_SIZE
                    + " (magic byte and 4-byte schema id)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(message);
        int schemaId = buffer.getInt(1);
        return new Frame(schemaId, buffer.position(HEADER_SIZE).slice().asReadOnlyBuffer());
    }
}
