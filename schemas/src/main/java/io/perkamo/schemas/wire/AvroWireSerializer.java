package io.perkamo.schemas.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import io.perkamo.schemas.AvroTrust;
import io.perkamo.schemas.registry.SchemaRegistryClient;
import io.perkamo.schemas.registry.SchemaRegistryException;
import io.perkamo.schemas.registry.SubjectVersion;

/**
 * Writes generated Avro records in the Confluent wire format. The record's own schema is the
 * writer schema; its id comes from the registry under the TopicNameStrategy subject
 * ({@code <topic>-value}, or {@code <topic>-key} for keys) and is cached per subject.
 *
 * <p>Kafka configs: {@value #SCHEMA_REGISTRY_URL_CONFIG} (required unless a client was given)
 * and {@value #AUTO_REGISTER_SCHEMAS_CONFIG} (default true). Without auto-registration the
 * schema must already be one of the subject's versions (found through the versions endpoints,
 * so it works with any registry speaking the Confluent subset).
 */
public final class AvroWireSerializer<T extends SpecificRecord> implements Serializer<T> {

    static {
        AvroTrust.install();
    }

    public static final String SCHEMA_REGISTRY_URL_CONFIG = SerdeConfig.SCHEMA_REGISTRY_URL;
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = SerdeConfig.AUTO_REGISTER_SCHEMAS;

    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    /** For Kafka to instantiate by class name; {@link #configure} must be called. */
    public AvroWireSerializer() {
        this.autoRegister = true;
    }

    /** A value serializer that auto-registers schemas with the given client. */
    public AvroWireSerializer(SchemaRegistryClient registry) {
        this(registry, true);
    }

    public AvroWireSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.autoRegister = autoRegister;
    }

    /** Reads the registry URL (unless a client was given) and auto.register.schemas; isKey picks the subject suffix. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        this.autoRegister = SerdeConfig.bool(configs, AUTO_REGISTER_SCHEMAS_CONFIG, autoRegister);
        if (registry == null) {
            registry = SerdeConfig.registryClient(configs);
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null; // a tombstone stays a tombstone
        }
        if (registry == null) {
            throw new IllegalStateException("AvroWireSerializer is not configured: no schema registry");
        }
        Schema schema = data.getSchema();
        int id = schemaId(SerdeConfig.subject(topic, isKey), schema);
        return ConfluentWire.frame(id, encode(data, schema));
    }

    private int schemaId(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        int id;
        try {
            id = autoRegister ? registry.register(subject, schema) : registeredId(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot get a schema id for subject " + subject + ": " + e.getMessage(), e);
        }
        ids.put(key, id);
        return id;
    }

    private int registeredId(String subject, Schema schema) {
        List<Integer> versions = registry.versions(subject);
        for (int i = versions.size() - 1; i >= 0; i--) {
            SubjectVersion version = registry.getVersion(subject, versions.get(i));
            if (version.schema().equals(schema)) {
                return version.id();
            }
        }
        throw new SerializationException("schema " + schema.getFullName() + " is not registered under subject "
                + subject + " and " + AUTO_REGISTER_SCHEMAS_CONFIG + " is false");
    }

    private static <T extends SpecificRecord> byte[] encode(T data, Schema schema) {
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema, SpecificData.getForClass(data.getClass()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + schema.getFullName() + " as Avro: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
