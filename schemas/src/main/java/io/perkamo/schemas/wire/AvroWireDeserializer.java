package io.perkamo.schemas.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.AvroTrust;
import io.perkamo.schemas.registry.SchemaRegistryClient;
import io.perkamo.schemas.registry.SchemaRegistryException;

/**
 * Reads Confluent wire-format records into a generated Avro class. The writer schema is
 * fetched by id (cached for ever: ids are immutable) and resolved to the class's schema with
 * Avro schema resolution, so records written with an older or newer compatible schema read.
 *
 * <p>Bad bytes throw {@link WireFormatException} (unknown_magic_byte, invalid_avro,
 * unknown_schema): the record is at fault. A registry that cannot be reached throws
 * {@link SchemaRegistryException}: the record may be fine, so do not dead-letter it.
 *
 * <p>Kafka configs: {@value #SCHEMA_REGISTRY_URL_CONFIG} (unless a client was given) and,
 * for the no-argument constructor, {@value #VALUE_TYPE_CONFIG} / {@value #KEY_TYPE_CONFIG}
 * naming the generated class.
 */
public final class AvroWireDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    static {
        AvroTrust.install();
    }

    public static final String SCHEMA_REGISTRY_URL_CONFIG = SerdeConfig.SCHEMA_REGISTRY_URL;
    public static final String VALUE_TYPE_CONFIG = SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE;
    public static final String KEY_TYPE_CONFIG = SerdeConfig.SPECIFIC_AVRO_KEY_TYPE;

    private Class<T> type;
    private SchemaRegistryClient registry;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private SpecificData model;

    /** For Kafka to instantiate by class name; the type comes from {@value #VALUE_TYPE_CONFIG}. */
    public AvroWireDeserializer() {
    }

    /** Reads into type; the registry comes from {@link #configure}. */
    public AvroWireDeserializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    public AvroWireDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this.type = Objects.requireNonNull(type, "type");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (type == null) {
            type = typeFromConfig(configs, isKey ? KEY_TYPE_CONFIG : VALUE_TYPE_CONFIG);
        }
        if (registry == null) {
            registry = SerdeConfig.registryClient(configs);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null; // tombstone
        }
        if (type == null || registry == null) {
            throw new IllegalStateException("AvroWireDeserializer is not configured: no type or schema registry");
        }
        if (model == null) {
            model = plainListModel(type);
        }
        ConfluentWire.Frame frame = ConfluentWire.parse(data);
        DatumReader<T> reader = readers.get(frame.schemaId());
        if (reader == null) {
            reader = reader(frame.schemaId());
            readers.put(frame.schemaId(), reader);
        }
        return decode(frame, reader);
    }

    private DatumReader<T> reader(int schemaId) {
        Schema writer;
        try {
            writer = registry.getById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound() || e.errorCode() == SchemaRegistryException.UNUSABLE_SCHEMA) {
                throw new WireFormatException(ErrorCodes.UNKNOWN_SCHEMA,
                        "unknown schema id " + schemaId + ": " + e.getMessage(), e);
            }
            throw e;
        }
        return new SpecificDatumReader<>(writer, model.getSchema(type), model);
    }

    /**
     * The class's model, but reading arrays into ArrayLists: Avro's GenericData.Array compares
     * elements without the logical-type conversions, so equals() on a read Profile would throw.
     */
    private static SpecificData plainListModel(Class<?> type) {
        SpecificData model = new SpecificData(type.getClassLoader()) {
            @Override
            public Object newArray(Object old, int size, Schema schema) {
                if (old instanceof ArrayList<?> list) {
                    list.clear();
                    return list;
                }
                return new ArrayList<>(size);
            }
        };
        SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
        return model;
    }

    private T decode(ConfluentWire.Frame frame, DatumReader<T> reader) {
        ByteBuffer body = frame.body();
        byte[] bytes = new byte[body.remaining()];
        body.duplicate().get(bytes);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        try {
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException(ErrorCodes.INVALID_AVRO, "trailing bytes after the Avro body of a "
                        + type.getSimpleName() + " written with schema id " + frame.schemaId());
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof WireFormatException wire) {
                throw wire;
            }
            // Untrusted bytes: any decoding failure (EOF, bad length, unresolvable schema) is the record's.
            throw new WireFormatException(ErrorCodes.INVALID_AVRO, "cannot read a " + type.getSimpleName()
                    + " written with schema id " + frame.schemaId() + ": " + e, e);
        }
    }

    private static <T> Class<T> typeFromConfig(Map<String, ?> configs, String name) {
        Object value = configs.get(name);
        if (value == null) {
            throw new ConfigException(name, null, "the generated Avro class to read into is required");
        }
        Class<?> type;
        try {
            type = value instanceof Class<?> c ? c : Class.forName(value.toString().trim());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(name, value, "class not found");
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new ConfigException(name, value, "not a generated Avro class (SpecificRecord)");
        }
        @SuppressWarnings("unchecked")
        Class<T> typed = (Class<T>) type;
        return typed;
    }
}
