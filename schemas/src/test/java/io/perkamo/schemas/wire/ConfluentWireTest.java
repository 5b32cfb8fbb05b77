package io.perkamo.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.perkamo.schemas.input.ErrorCodes;

class ConfluentWireTest {

    @Test
    void shouldWriteMagicByteAndBigEndianIdBeforeTheBody() {
        byte[] framed = ConfluentWire.frame(0x01020304, new byte[] {9, 8});

        assertThat(framed).containsExactly(0, 1, 2, 3, 4, 9, 8);
    }

    @Test
    void shouldParseWhatItFrames() {
        ConfluentWire.Frame frame = ConfluentWire.parse(ConfluentWire.frame(70000, new byte[] {5, 6, 7}));

        assertThat(frame.schemaId()).isEqualTo(70000);
        assertThat(frame.body()).isEqualTo(ByteBuffer.wrap(new byte[] {5, 6, 7}));
        assertThat(frame.body().isReadOnly()).isTrue();
    }

    @Test
    void shouldNameTheUnknownMagicByteInHex() {
        WireFormatException e = catchThrowableOfType(WireFormatException.class,
                () -> ConfluentWire.parse(new byte[] {(byte) 0xc3, 0, 0, 0, 1}));

        assertThat(e.code()).isEqualTo(ErrorCodes.UNKNOWN_MAGIC_BYTE);
        assertThat(e).hasMessage("unknown magic byte 0xc3: not Confluent wire format");
    }

    @Test
    void shouldRejectAnEmptyMessage() {
        WireFormatException e = catchThrowableOfType(WireFormatException.class, () -> ConfluentWire.parse(new byte[0]));

        assertThat(e.code()).isEqualTo(ErrorCodes.UNKNOWN_MAGIC_BYTE);
    }

    @Test
    void shouldTellFramedBytesFromJson() {
        assertThat(ConfluentWire.isFramed(ConfluentWire.frame(1, new byte[0]))).isTrue();
        assertThat(ConfluentWire.isFramed("{}".getBytes())).isFalse();
        assertThat(ConfluentWire.isFramed(new byte[] {0, 0})).isFalse();
    }
}
