package io.perkamo.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.perkamo.schemas.Samples;
import io.perkamo.schemas.avro.Input;
import io.perkamo.schemas.avro.InputKind;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.registry.InMemorySchemaRegistryClient;
import io.perkamo.schemas.registry.SchemaRegistryClient;
import io.perkamo.schemas.registry.SchemaRegistryException;
import io.perkamo.schemas.registry.SubjectVersion;

class AvroWireSerdeTest {

    private static final String TOPIC = "perkamo.demo-test.events";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    static Stream<SpecificRecord> records() {
        return Stream.of(Samples.avroInput(), Samples.outcome(), Samples.rejectedRedemption(), Samples.profile(),
                Samples.storedDecision());
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends SpecificRecord> void shouldRoundTripEveryRecord(T record) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        AvroWireSerializer<T> serializer = new AvroWireSerializer<>(registry);
        AvroWireDeserializer<T> deserializer = new AvroWireDeserializer<>(type, registry);

        byte[] bytes = serializer.serialize(TOPIC, record);

        assertThat(bytes[0]).isEqualTo(ConfluentWire.MAGIC_BYTE);
        assertThat(deserializer.deserialize(TOPIC, bytes)).isEqualTo(record);
    }

    @Test
    void shouldFrameWithTheIdRegisteredUnderTheTopicValueSubject() {
        AvroWireSerializer<Input> serializer = new AvroWireSerializer<>(registry);

        byte[] bytes = serializer.serialize(TOPIC, Samples.avroInput());

        SubjectVersion registered = registry.getLatestVersion(TOPIC + "-value");
        assertThat(registered.schema()).isEqualTo(Input.getClassSchema());
        assertThat(ConfluentWire.parse(bytes).schemaId()).isEqualTo(registered.id());
    }

    @Test
    void shouldUseTheKeySubjectForKeys() {
        AvroWireSerializer<Input> serializer = new AvroWireSerializer<>(registry);
        serializer.configure(Map.of(), true);

        serializer.serialize(TOPIC, Samples.avroInput());

        assertThat(registry.subjects()).containsExactly(TOPIC + "-key");
    }

    @Test
    void shouldRegisterOncePerSubjectAndFetchTheWriterSchemaOnce() {
        CountingRegistry counting = new CountingRegistry(registry);
        AvroWireSerializer<Input> serializer = new AvroWireSerializer<>(counting);
        AvroWireDeserializer<Input> deserializer = new AvroWireDeserializer<>(Input.class, counting);

        for (int i = 0; i < 3; i++) {
            deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, Samples.avroInput()));
        }

        assertThat(counting.registers.get()).isEqualTo(1);
        assertThat(counting.lookups.get()).isEqualTo(1);
    }

    @Test
    void shouldReadDataWrittenWithAnOlderSchemaFillingDefaults() throws IOException {
        // Given a producer on a v0 Input without reward, traits and occurred_at
        Schema older = new Schema.Parser().parse("""
                {"type":"record","name":"Input","namespace":"io.perkamo.schemas.avro","fields":[
                  {"name":"kind","type":{"type":"enum","name":"InputKind","symbols":["event","identify","redemption"]}},
                  {"name":"user_id","type":"string"},
                  {"name":"transaction_id","type":["null","string"],"default":null},
                  {"name":"event","type":["null","string"],"default":null},
                  {"name":"context","type":["null","string"],"default":null}]}""");
        GenericRecord old = new GenericData.Record(older);
        old.put("kind", new GenericData.EnumSymbol(older.getField("kind").schema(), "event"));
        old.put("user_id", "u1");
        old.put("transaction_id", "t1");
        old.put("event", "lesson.finished");
        old.put("context", "{}");
        int id = registry.register(TOPIC + "-value", older);

        Input read = new AvroWireDeserializer<>(Input.class, registry).deserialize(TOPIC, frame(id, older, old));

        assertThat(read).isEqualTo(Input.newBuilder().setKind(InputKind.event).setUserId("u1").setTransactionId("t1")
                .setEvent("lesson.finished").setContext("{}").build());
        assertThat(read.getOccurredAt()).isNull();
        assertThat(read.getReward()).isNull();
    }

    @Test
    void shouldReadDataWrittenWithANewerSchemaIgnoringItsNewFields() throws IOException {
        String current = Input.getClassSchema().toString();
        Schema newer = new Schema.Parser().parse(current.replace("\"fields\":[",
                "\"fields\":[{\"name\":\"channel\",\"type\":\"string\",\"default\":\"web\"},"));
        GenericRecord record = new GenericData.Record(newer);
        record.put("channel", "kiosk");
        record.put("kind", new GenericData.EnumSymbol(newer.getField("kind").schema(), "identify"));
        record.put("user_id", "u2");
        record.put("traits", "{\"plan\":\"pro\"}");
        int id = registry.register("elsewhere-value", newer);

        Input read = new AvroWireDeserializer<>(Input.class, registry).deserialize(TOPIC, frame(id, newer, record));

        assertThat(read.getKind()).isEqualTo(InputKind.identify);
        assertThat(read.getUserId()).isEqualTo("u2");
        assertThat(read.getTraits()).isEqualTo("{\"plan\":\"pro\"}");
    }

    @Test
    void shouldRejectJsonWithAnUnknownMagicByte() {
        byte[] json = "{\"user_id\":\"u1\"}".getBytes(StandardCharsets.UTF_8);

        WireFormatException e = catchThrowableOfType(WireFormatException.class,
                () -> new AvroWireDeserializer<>(Input.class, registry).deserialize(TOPIC, json));

        assertThat(e.code()).isEqualTo(ErrorCodes.UNKNOWN_MAGIC_BYTE);
        assertThat(e).hasMessage("unknown magic byte 0x7b: not Confluent wire format (is this JSON?)");
    }

    @Test
    void shouldRejectATruncatedHeader() {
        WireFormatException e = catchThrowableOfType(WireFormatException.class,
                () -> new AvroWireDeserializer<>(Input.class, registry).deserialize(TOPIC, new byte[] {0, 0, 1}));

        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_AVRO);
        assertThat(e).hasMessageContaining("truncated");
    }

    @Test
    void shouldRejectATruncatedBody() {
        byte[] bytes = new AvroWireSerializer<Outcome>(registry).serialize(TOPIC, Samples.outcome());
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 4);

        WireFormatException e = catchThrowableOfType(WireFormatException.class,
                () -> new AvroWireDeserializer<>(Outcome.class, registry).deserialize(TOPIC, cut));

        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_AVRO);
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] bytes = new AvroWireSerializer<Input>(registry).serialize(TOPIC, Samples.avroInput());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);

        WireFormatException e = catchThrowableOfType(WireFormatException.class,
                () -> new AvroWireDeserializer<>(Input.class, registry).deserialize(TOPIC, longer));

        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_AVRO);
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        byte[] bytes = ConfluentWire.frame(4242, new byte[] {2, 2, 'u'});

        WireFormatException e = catchThrowableOfType(WireFormatException.class,
                () -> new AvroWireDeserializer<>(Input.class, registry).deserialize(TOPIC, bytes));

        assertThat(e.code()).isEqualTo(ErrorCodes.UNKNOWN_SCHEMA);
        assertThat(e).hasMessageContaining("4242");
    }

    @Test
    void shouldRejectAWriterSchemaThatCannotBeResolved() throws IOException {
        Schema other = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Input\",\"namespace\":\"io.perkamo.schemas.avro\",\"fields\":[{\"name\":\"user_id\",\"type\":\"long\"}]}");
        GenericRecord record = new GenericData.Record(other);
        record.put("user_id", 7L);
        int id = registry.register("other-value", other);

        WireFormatException e = catchThrowableOfType(WireFormatException.class,
                () -> new AvroWireDeserializer<>(Input.class, registry).deserialize(TOPIC, frame(id, other, record)));

        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_AVRO);
    }

    @Test
    void shouldLetRegistryOutagesThroughAsRegistryErrors() {
        SchemaRegistryClient down = new CountingRegistry(registry) {
            @Override
            public Schema getById(int id) {
                throw new SchemaRegistryException(0, 0, "schema registry unreachable");
            }
        };
        byte[] bytes = new AvroWireSerializer<Input>(registry).serialize(TOPIC, Samples.avroInput());

        assertThatThrownBy(() -> new AvroWireDeserializer<>(Input.class, down).deserialize(TOPIC, bytes))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(WireFormatException.class);
    }

    @Test
    void shouldPassTombstonesThrough() {
        assertThat(new AvroWireSerializer<Input>(registry).serialize(TOPIC, null)).isNull();
        assertThat(new AvroWireDeserializer<>(Input.class, registry).deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldFindTheIdOfAnAlreadyRegisteredSchemaWithoutAutoRegistration() {
        registry.register(TOPIC + "-value", Input.getClassSchema());
        int expected = registry.getLatestVersion(TOPIC + "-value").id();
        AvroWireSerializer<Input> serializer = new AvroWireSerializer<>(registry, false);

        byte[] bytes = serializer.serialize(TOPIC, Samples.avroInput());

        assertThat(ConfluentWire.parse(bytes).schemaId()).isEqualTo(expected);
        assertThat(registry.versions(TOPIC + "-value")).containsExactly(1);
    }

    @Test
    void shouldRefuseAnUnregisteredSchemaWithoutAutoRegistration() {
        registry.register(TOPIC + "-value", Outcome.getClassSchema());
        AvroWireSerializer<Input> serializer = new AvroWireSerializer<>(registry);
        serializer.configure(Map.of(AvroWireSerializer.AUTO_REGISTER_SCHEMAS_CONFIG, "false"), false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, Samples.avroInput()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered");
    }

    @Test
    void shouldBuildAnHttpClientFromTheRegistryUrlConfig() {
        AvroWireSerializer<Input> serializer = new AvroWireSerializer<>();
        serializer.configure(Map.of(AvroWireSerializer.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:1/prefix/"), false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, Samples.avroInput()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("127.0.0.1:1/prefix/subjects/");
    }

    @Test
    void shouldRequireARegistryUrlWhenNoClientWasGiven() {
        assertThatThrownBy(() -> new AvroWireSerializer<Input>().configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldTakeTheTargetClassFromTheSpecificValueTypeConfig() {
        AvroWireDeserializer<Outcome> deserializer = new AvroWireDeserializer<>();
        deserializer.configure(Map.of(AvroWireDeserializer.VALUE_TYPE_CONFIG, Outcome.class.getName(),
                AvroWireDeserializer.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:1"), false);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, "[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> new AvroWireDeserializer<>().configure(
                Map.of(AvroWireDeserializer.VALUE_TYPE_CONFIG, String.class.getName(),
                        AvroWireDeserializer.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:1"), false))
                .isInstanceOf(ConfigException.class);
    }

    private static byte[] frame(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return ConfluentWire.frame(id, out.toByteArray());
    }

    /** Delegates and counts the calls that should be cached. */
    private static class CountingRegistry implements SchemaRegistryClient {
        final SchemaRegistryClient delegate;
        final AtomicInteger registers = new AtomicInteger();
        final AtomicInteger lookups = new AtomicInteger();

        CountingRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            registers.incrementAndGet();
            return delegate.register(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            lookups.incrementAndGet();
            return delegate.getById(id);
        }

        @Override
        public List<String> subjects() {
            return delegate.subjects();
        }

        @Override
        public List<Integer> versions(String subject) {
            return delegate.versions(subject);
        }

        @Override
        public SubjectVersion getVersion(String subject, int version) {
            return delegate.getVersion(subject, version);
        }

        @Override
        public SubjectVersion getLatestVersion(String subject) {
            return delegate.getLatestVersion(subject);
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return delegate.isCompatible(subject, schema);
        }
    }
}
