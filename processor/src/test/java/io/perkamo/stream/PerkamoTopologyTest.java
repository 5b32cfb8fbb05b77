package io.perkamo.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.local.DemoSpace;
import io.perkamo.topics.DeadLetterHeaders;
import io.perkamo.topics.Topics;
import io.perkamo.schemas.avro.Input;
import io.perkamo.schemas.avro.InputKind;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.ProfileJson;
import io.perkamo.schemas.registry.InMemorySchemaRegistryClient;
import io.perkamo.schemas.wire.AvroWireDeserializer;
import io.perkamo.schemas.wire.AvroWireSerializer;
import io.perkamo.topics.PerkamoHeaders;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.Partitioning;

class PerkamoTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private int partitions = 1;
    private boolean avroOutput;
    private TopologyTestDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void shouldFoldAnEventIntoTheProfileAndEmitOneOutcome() throws Exception {
        start();
        publishProgram("shop", 1, Instant.EPOCH, DemoSpace.program());

        events("shop").pipeInput(new TestRecord<>("u1", bytes(event("u1", "order-1", "purchase.completed",
                "{\"amount\": 12900, \"currency\": \"CZK\"}")), T0));

        List<JsonNode> outcomes = outcomes("shop");
        assertThat(outcomes).hasSize(1);
        JsonNode outcome = outcomes.get(0);
        assertThat(outcome.path("applied").asBoolean()).isTrue();
        assertThat(outcome.path("wallet_state").path("points").asLong()).isEqualTo(129);
        assertThat(outcome.path("wallet_state").path("xp").asLong()).isEqualTo(10);
        assertThat(outcome.path("program_version").asLong()).isEqualTo(1);
        JsonNode profile = lastProfile("shop", "u1");
        assertThat(profile.path("wallets").path("points").asLong()).isEqualTo(129);
        assertThat(profile.path("version").asLong()).isEqualTo(1);
    }

    @Test
    void shouldRunAVersionPublishedBeforeTheSchemaBecameStrict() throws Exception {
        // given a stored version with fields the upload check now refuses
        start();
        ObjectNode legacy = program("[{\"wallet\": \"points\", \"amount\": 7}]");
        legacy.put("colour", "blue");
        ((ObjectNode) legacy.get("rules").get(0)).put("note", "kept from an older editor");
        publishProgram("shop", 1, Instant.EPOCH, legacy);

        // when an input arrives
        events("shop").pipeInput(new TestRecord<>("u1", bytes(event("u1", "l1", "lesson.finished", "{}")), T0));

        // then it is evaluated with that version, not with no program
        JsonNode outcome = outcomes("shop").get(0);
        assertThat(outcome.path("program_version").asLong()).isEqualTo(1);
        assertThat(outcome.path("wallet_state").path("points").asLong()).isEqualTo(7);
    }

    @Test
    void shouldKeepEachSpaceInItsOwnTopicsAndState() throws Exception {
        start();
        publishProgram("shop", 1, Instant.EPOCH, DemoSpace.program());

        events("shop").pipeInput(new TestRecord<>("u1", bytes(event("u1", "l1", "lesson.finished", "{}")), T0));
        events("school").pipeInput(new TestRecord<>("u1", bytes(event("u1", "l1", "lesson.finished", "{}")), T0));

        assertThat(lastProfile("shop", "u1").path("wallets").path("xp").asLong()).isEqualTo(20);
        // school has no program: the input is applied and recorded, nothing awarded
        JsonNode school = outcomes("school").get(0);
        assertThat(school.path("applied").asBoolean()).isTrue();
        assertThat(school.path("duplicate").asBoolean()).isFalse();
        assertThat(school.path("program_version").asLong()).isZero();
        assertThat(outcomes("shop")).hasSize(1);
    }

    @Test
    void shouldAnswerASameTransactionRetryAsDuplicateAndAChangedOneAsConflict() throws Exception {
        start();
        publishProgram("shop", 1, Instant.EPOCH, DemoSpace.program());
        String ctx = "{\"amount\": 5000, \"currency\": \"CZK\"}";

        events("shop").pipeInput(new TestRecord<>("u1", bytes(event("u1", "o1", "purchase.completed", ctx)), T0));
        // the PHP SDK re-stamps occurred_at on a retry: still the same payload
        ObjectNode retry = event("u1", "o1", "purchase.completed", ctx);
        retry.put("occurred_at", "2026-06-01T10:05:00+00:00");
        events("shop").pipeInput(new TestRecord<>("u1", bytes(retry), T0.plusSeconds(300)));
        events("shop").pipeInput(new TestRecord<>("u1", bytes(event("u1", "o1", "purchase.completed",
                "{\"amount\": 9900, \"currency\": \"CZK\"}")), T0.plusSeconds(301)));

        List<JsonNode> outcomes = outcomes("shop");
        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(1).path("duplicate").asBoolean()).isTrue();
        assertThat(outcomes.get(1).path("applied").asBoolean()).isFalse();
        assertThat(outcomes.get(1).path("delta")).isEqualTo(outcomes.get(0).path("delta"));
        assertThat(outcomes.get(2).path("applied").asBoolean()).isFalse();
        assertThat(outcomes.get(2).path("error").path("code").asText()).isEqualTo("idempotency_conflict");
        assertThat(lastProfile("shop", "u1").path("wallets").path("points").asLong()).isEqualTo(50);
    }

    @Test
    void shouldSendMalformedRecordsToTheDlqWithCodeAndSource() throws Exception {
        start();
        TestInputTopic<String, byte[]> events = events("shop");

        events.pipeInput(new TestRecord<>("u1", "{not json".getBytes(StandardCharsets.UTF_8), T0));
        events.pipeInput(new TestRecord<>("u1", bytes(event("u1", "t1", "Purchase", "{}")), T0));
        events.pipeInput(new TestRecord<>("u1", bytes(event("u1", "t2", "purchase.completed", "{\"XP\": 5}")), T0));
        ObjectNode noTx = event("u1", "t3", "purchase.completed", "{}");
        noTx.remove("transaction_id");
        events.pipeInput(new TestRecord<>("u1", bytes(noTx), T0));
        events.pipeInput(new TestRecord<>("someone-else", bytes(event("u1", "t4", "lesson.finished", "{}")), T0));
        ObjectNode future = event("u1", "t5", "lesson.finished", "{}");
        future.put("occurred_at", "2026-06-03T10:00:00Z");
        events.pipeInput(new TestRecord<>("u1", bytes(future), T0));
        events.pipeInput(new TestRecord<>("u1", new byte[] {7, 1, 2, 3, 4, 5}, T0));

        List<TestRecord<byte[], byte[]>> dlq = dlq("shop").readRecordsToList();
        assertThat(dlq).extracting(r -> header(r, DeadLetterHeaders.ERROR_CODE)).containsExactly(
                "invalid_json", "invalid_event", "reserved_context_field", "invalid_transaction_id",
                "key_mismatch", "occurred_at_in_future", "unknown_magic_byte");
        TestRecord<byte[], byte[]> first = dlq.get(0);
        assertThat(first.value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
        assertThat(header(first, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("perkamo.shop.events");
        assertThat(header(first, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(first, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(dlq.get(6), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("6");
        assertThat(header(first, DeadLetterHeaders.ERROR_MESSAGE)).isNotBlank();
        assertThat(outcomes("shop")).isEmpty();
    }

    @Test
    void shouldEvaluateEachInputWithTheProgramVersionInForceAtItsEventTime() throws Exception {
        start();
        ObjectNode v1 = program("[{\"wallet\": \"points\", \"amount\": 10}]");
        ObjectNode v2 = program("[{\"wallet\": \"points\", \"amount\": 100}]");
        publishProgram("shop", 1, Instant.EPOCH, v1);
        publishProgram("shop", 2, T0.plusSeconds(3600), v2);

        ObjectNode before = event("u1", "a", "lesson.finished", "{}");
        before.put("occurred_at", "2026-06-01T10:30:00Z");
        ObjectNode after = event("u1", "b", "lesson.finished", "{}");
        after.put("occurred_at", "2026-06-01T11:30:00Z");
        // arrival order is the reverse of event time: the version follows event time
        events("shop").pipeInput(new TestRecord<>("u1", bytes(after), T0.plusSeconds(7200)));
        events("shop").pipeInput(new TestRecord<>("u1", bytes(before), T0.plusSeconds(7201)));

        List<JsonNode> outcomes = outcomes("shop");
        assertThat(outcomes).extracting(o -> o.path("program_version").asLong()).containsExactly(2L, 1L);
        assertThat(lastProfile("shop", "u1").path("wallets").path("points").asLong()).isEqualTo(110);
    }

    @Test
    void shouldRerouteARecordThatSitsOnAnotherPartitionThanTheJavaPartitionerPicks() throws Exception {
        partitions = 2;
        start();
        String user = userOnPartition(1, 2);
        // the driver delivers on partition 0; murmur2 puts this user on 1
        events("shop").pipeInput(new TestRecord<>(user, bytes(event(user, "t1", "lesson.finished", "{}")), T0));

        // it went back to the events topic once, marked, and was then folded exactly once
        TestOutputTopic<byte[], byte[]> rerouted = driver.createOutputTopic(Topics.EVENTS.name("shop"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TestRecord<byte[], byte[]>> moved = rerouted.readRecordsToList();
        assertThat(moved).hasSize(1);
        assertThat(moved.get(0).headers().lastHeader(PerkamoHeaders.REROUTED)).isNotNull();
        assertThat(outcomes("shop")).hasSize(1);
    }

    @Test
    void shouldKeyAKeylessRecordByItsUserId() throws Exception {
        start();
        events("shop").pipeInput(new TestRecord<String, byte[]>(null, bytes(event("u9", "t1", "lesson.finished", "{}")),
                new RecordHeaders(), T0));

        TestOutputTopic<byte[], byte[]> rerouted = driver.createOutputTopic(Topics.EVENTS.name("shop"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        assertThat(new String(rerouted.readRecordsToList().get(0).key(), StandardCharsets.UTF_8)).isEqualTo("u9");
        assertThat(outcomes("shop")).hasSize(1);
    }

    @Test
    void shouldFoldAvroInputsInTheConfluentWireFormat() throws Exception {
        start();
        publishProgram("shop", 1, Instant.EPOCH, DemoSpace.program());
        AvroWireSerializer<Input> serializer = new AvroWireSerializer<>(registry);
        Input input = Input.newBuilder().setKind(InputKind.event).setUserId("u1").setTransactionId("l1")
                .setEvent("lesson.finished").setContext("[]").build();

        events("shop").pipeInput(new TestRecord<>("u1", serializer.serialize("perkamo.shop.events", input), T0));

        assertThat(lastProfile("shop", "u1").path("wallets").path("xp").asLong()).isEqualTo(20);
    }

    @Test
    void shouldForgetDedupEntriesOnlyAfterTheRetention() throws Exception {
        start();
        publishProgram("shop", 1, Instant.EPOCH, DemoSpace.program());
        TestInputTopic<String, byte[]> events = events("shop");

        events.pipeInput(new TestRecord<>("u1", bytes(event("u1", "l1", "lesson.finished", "{}")), T0));
        events.pipeInput(new TestRecord<>("u1", bytes(event("u1", "other", "lesson.finished", "{}")),
                T0.plus(Duration.ofDays(29))));
        events.pipeInput(new TestRecord<>("u1", bytes(event("u1", "l1", "lesson.finished", "{}")),
                T0.plus(Duration.ofDays(29)).plusSeconds(1)));
        events.pipeInput(new TestRecord<>("u1", bytes(event("u1", "tick", "lesson.finished", "{}")),
                T0.plus(Duration.ofDays(31))));
        events.pipeInput(new TestRecord<>("u1", bytes(event("u1", "l1", "lesson.finished", "{}")),
                T0.plus(Duration.ofDays(31)).plusSeconds(1)));

        List<JsonNode> outcomes = outcomes("shop");
        assertThat(outcomes).extracting(o -> o.path("duplicate").asBoolean())
                .containsExactly(false, false, true, false, false);
    }

    @Test
    void shouldWriteOutcomesAndProfilesAsAvroWithSchemasRegisteredPerTopic() throws Exception {
        avroOutput = true;
        start();
        publishProgram("shop", 1, Instant.EPOCH, DemoSpace.program());

        events("shop").pipeInput(new TestRecord<>("u1", bytes(event("u1", "l1", "lesson.finished", "{}")), T0));

        byte[] outcome = driver.createOutputTopic(Topics.OUTCOMES.name("shop"), new StringDeserializer(),
                new ByteArrayDeserializer()).readValue();
        byte[] profile = driver.createOutputTopic(Topics.PROFILES.name("shop"), new StringDeserializer(),
                new ByteArrayDeserializer()).readValue();
        assertThat(outcome[0]).isZero();
        assertThat(registry.subjects()).contains("perkamo.shop.outcomes-value", "perkamo.shop.profiles-value");
        io.perkamo.schemas.avro.Outcome decoded = new AvroWireDeserializer<>(io.perkamo.schemas.avro.Outcome.class,
                registry).deserialize("perkamo.shop.outcomes", outcome);
        io.perkamo.schemas.avro.Profile state = new AvroWireDeserializer<>(io.perkamo.schemas.avro.Profile.class,
                registry).deserialize("perkamo.shop.profiles", profile);
        assertThat(decoded.getApplied()).isTrue();
        assertThat(state.getWallets()).containsEntry("xp", 20L);
    }

    // --- fixtures

    private void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "perkamo-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        PerkamoTopology.Settings settings = new PerkamoTopology.Settings(
                new InputDecoder(Optional.of(new AvroWireDeserializer<>(Input.class, registry))),
                topic -> partitions,
                new ProgramRegistry(),
                avroOutput ? OutputSerializer.of(new AvroWireSerializer<io.perkamo.schemas.avro.Outcome>(registry))
                        : OutputSerializer.json(OutcomeJson::bytes),
                avroOutput ? OutputSerializer.of(new AvroWireSerializer<io.perkamo.schemas.avro.Profile>(registry))
                        : OutputSerializer.json(ProfileJson::bytes),
                Duration.ofDays(30));
        driver = new TopologyTestDriver(PerkamoTopology.build(settings), props, T0);
    }

    private TestInputTopic<String, byte[]> events(String space) {
        return driver.createInputTopic(Topics.EVENTS.name(space), new StringSerializer(), new ByteArraySerializer());
    }

    private List<JsonNode> outcomes(String space) {
        return driver.createOutputTopic(Topics.OUTCOMES.name(space), new StringDeserializer(), new ByteArrayDeserializer())
                .readValuesToList().stream().map(PerkamoTopologyTest::tree).toList();
    }

    private JsonNode lastProfile(String space, String userId) {
        return tree(driver.createOutputTopic(Topics.PROFILES.name(space), new StringDeserializer(),
                new ByteArrayDeserializer()).readKeyValuesToMap().get(userId));
    }

    private TestOutputTopic<byte[], byte[]> dlq(String space) {
        return driver.createOutputTopic(Topics.DLQ.name(space), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void publishProgram(String space, long version, Instant effectiveAt, ObjectNode program) throws Exception {
        ObjectNode record = JSON.createObjectNode();
        record.put("space", space);
        record.put("version", version);
        record.put("effective_at", effectiveAt.toString());
        record.put("created_at", effectiveAt.toString());
        record.set("program", program);
        driver.createInputTopic(Topics.CONTROL_PROGRAMS.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput(String.format("%s:%019d", space, version), JSON.writeValueAsBytes(record));
    }


    private static ObjectNode program(String lessonAward) throws Exception {
        return (ObjectNode) JSON.readTree("{\"wallets\": [{\"key\": \"points\", \"name\": \"Points\"}],"
                + "\"rules\": [{\"key\": \"lesson\", \"event\": \"lesson.finished\", \"award\": " + lessonAward + "}]}");
    }

    private static ObjectNode event(String user, String tx, String event, String context) throws Exception {
        ObjectNode node = JSON.createObjectNode();
        node.put("user_id", user);
        node.put("transaction_id", tx);
        node.put("event", event);
        node.set("context", JSON.readTree(context));
        node.put("occurred_at", T0.toString());
        return node;
    }

    private static byte[] bytes(JsonNode node) throws Exception {
        return JSON.writeValueAsBytes(node);
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String userOnPartition(int partition, int partitions) {
        for (int i = 0; ; i++) {
            String user = "user-" + i;
            if (Partitioning.partitionOf(user.getBytes(StandardCharsets.UTF_8), partitions) == partition) {
                return user;
            }
        }
    }
}
