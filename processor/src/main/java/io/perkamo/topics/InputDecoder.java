package io.perkamo.topics;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.kafka.common.serialization.Deserializer;

import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.InputParser;
import io.perkamo.schemas.input.Parsed;
import io.perkamo.schemas.input.Problem;
import io.perkamo.schemas.wire.ConfluentWire;
import io.perkamo.schemas.wire.WireFormatException;

/**
 * Turns a record value of an events topic into a validated input, whatever the producer
 * wrote: a JSON object, or Avro in the Confluent wire format (magic byte 0). The rules are
 * the schemas module's, the same the HTTP API applies; the stream and replay both read
 * events through it, so they take the same DLQ decisions.
 */
public final class InputDecoder {

    public sealed interface Decoded permits Accepted, Refused {
    }

    public record Accepted(Input input) implements Decoded {
    }

    public record Refused(String code, String message) implements Decoded {
    }

    private final Optional<Deserializer<io.perkamo.schemas.avro.Input>> avro;

    /** @param avro the wire-format deserializer, absent when no schema registry is configured */
    public InputDecoder(Optional<Deserializer<io.perkamo.schemas.avro.Input>> avro) {
        this.avro = avro;
    }

    public Decoded decode(String topic, byte[] value, Instant recordTime) {
        if (value == null || value.length == 0) {
            return new Refused(ErrorCodes.INVALID_JSON, "the record has no value (a tombstone is not an input)");
        }
        if (ConfluentWire.isFramed(value)) {
            return decodeAvro(topic, value, recordTime);
        }
        if (looksBinary(value[0])) {
            try {
                ConfluentWire.parse(value);
            } catch (WireFormatException e) {
                return new Refused(e.code(), e.getMessage());
            }
        }
        return accept(InputParser.parseJson(value, recordTime));
    }

    private Decoded decodeAvro(String topic, byte[] value, Instant recordTime) {
        if (avro.isEmpty()) {
            return new Refused(ErrorCodes.UNKNOWN_SCHEMA,
                    "an Avro record needs a schema registry; start perkamo with --schema-registry-url");
        }
        try {
            return accept(InputParser.fromAvro(avro.get().deserialize(topic, value), recordTime));
        } catch (WireFormatException e) {
            return new Refused(e.code(), e.getMessage());
        }
    }

    /** Neither JSON (which starts with a brace or white space) nor a wire-format frame. */
    private static boolean looksBinary(byte first) {
        return first != '{' && first != ' ' && first != '\t' && first != '\n' && first != '\r' && first < 0x20;
    }

    private static Decoded accept(Parsed parsed) {
        if (parsed instanceof Parsed.Valid valid) {
            return new Accepted(valid.input());
        }
        Parsed.Invalid invalid = (Parsed.Invalid) parsed;
        String message = invalid.problems().stream().map(Problem::message).collect(Collectors.joining("; "));
        return new Refused(invalid.problems().get(0).code(), message);
    }
}
