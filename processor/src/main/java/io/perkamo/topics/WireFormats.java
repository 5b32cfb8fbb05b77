package io.perkamo.topics;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.schemas.Json;
import io.perkamo.schemas.registry.SchemaRegistryClient;
import io.perkamo.schemas.wire.AvroWireDeserializer;
import io.perkamo.schemas.wire.AvroWireSerializer;
import io.perkamo.schemas.wire.ConfluentWire;

/**
 * A deployment's formats: the output format of its state topics and the schema registry (for
 * Avro inputs and the Avro output format). Readers accept both formats whatever the output
 * format is, so a deployment that switched formats still reads its older records.
 */
public record WireFormats(OutputFormat output, Optional<SchemaRegistryClient> registry) {
    /** JSON out, no registry: the local default and what tests use. */
    public static final WireFormats JSON = new WireFormats(OutputFormat.JSON, Optional.empty());

    public WireFormats {
        if (output == OutputFormat.AVRO && registry.isEmpty()) {
            throw new IllegalArgumentException("--output-format avro needs a schema registry (--schema-registry-url)");
        }
    }

    /** Avro inputs' deserializer, when a registry is configured. */
    public Optional<Deserializer<io.perkamo.schemas.avro.Input>> avroInputs() {
        return registry.map(r -> new AvroWireDeserializer<>(io.perkamo.schemas.avro.Input.class, r));
    }

    <V extends SpecificRecord> Serde<V> serde(Class<V> type, Function<V, byte[]> toJson,
                                              Function<JsonNode, V> fromJson) {
        Serializer<V> serializer = output == OutputFormat.AVRO
                ? new AvroWireSerializer<>(registry.orElseThrow())
                : (topic, value) -> toJson.apply(value);
        Optional<Deserializer<V>> avro = registry.map(r -> new AvroWireDeserializer<>(type, r));
        Deserializer<V> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (ConfluentWire.isFramed(bytes)) {
                return avro.orElseThrow(() -> new IllegalStateException(
                        "an Avro record on " + topic + " needs a schema registry")).deserialize(topic, bytes);
            }
            try {
                return fromJson.apply(Json.MAPPER.readTree(bytes));
            } catch (IOException e) {
                throw new IllegalStateException("unreadable record on " + topic, e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
