package io.perkamo.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.registry.HttpSchemaRegistryClient;
import io.perkamo.schemas.registry.SchemaRegistryException;
import io.perkamo.schemas.wire.AvroWireDeserializer;
import io.perkamo.schemas.wire.AvroWireSerializer;
import io.perkamo.testing.TestKafka;

/** Our registry client and wire serde against our registry endpoint: the pair local mode ships. */
class RegistryThroughClientIT {
    private static SchemaRegistryServer server;
    private static HttpSchemaRegistryClient client;

    @BeforeAll
    static void start() {
        server = new SchemaRegistryServer(TestKafka.bootstrapServers(), 0, TestKafka.uniqueSlug("_schemas-client"))
                .start();
        client = new HttpSchemaRegistryClient(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldRegisterFetchAndListThroughTheClient() {
        int id = client.register("perkamo.shop.profiles-value", Profile.getClassSchema());

        assertThat(client.getById(id)).isEqualTo(Profile.getClassSchema());
        assertThat(client.subjects()).contains("perkamo.shop.profiles-value");
        assertThat(client.versions("perkamo.shop.profiles-value")).containsExactly(1);
        assertThat(client.getLatestVersion("perkamo.shop.profiles-value").id()).isEqualTo(id);
        assertThat(client.register("perkamo.shop.profiles-value", Profile.getClassSchema())).isEqualTo(id);
    }

    @Test
    void shouldJudgeCompatibilityAndRefuseABreakingChange() {
        Schema v1 = SchemaBuilder.record("Thing").fields().requiredString("a").endRecord();
        Schema addedOptional = SchemaBuilder.record("Thing").fields().requiredString("a")
                .name("b").type().stringType().stringDefault("x").endRecord();
        Schema addedRequired = SchemaBuilder.record("Thing").fields().requiredString("a").requiredLong("c").endRecord();
        client.register("things-value", v1);

        assertThat(client.isCompatible("things-value", addedOptional)).isTrue();
        assertThat(client.isCompatible("things-value", addedRequired)).isFalse();
        assertThatThrownBy(() -> client.register("things-value", addedRequired))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                        .isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA));
    }

    @Test
    void shouldAnswerUnknownIdsWithTheConfluentNotFoundCode() {
        assertThatThrownBy(() -> client.getById(999_999))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isNotFound()).isTrue());
    }

    @Test
    void shouldRoundTripWireFormatRecordsThroughTheEndpoint() {
        Outcome outcome = Outcome.newBuilder().setUserId("u1").setKind("event").setOccurredAt(java.time.Instant.EPOCH)
                .setProgramVersion(1).setStatus("applied").setApplied(true).setDuplicate(false).build();

        byte[] bytes = new AvroWireSerializer<Outcome>(client).serialize("perkamo.shop.outcomes", outcome);
        Outcome back = new AvroWireDeserializer<>(Outcome.class, new HttpSchemaRegistryClient(server.url()))
                .deserialize("perkamo.shop.outcomes", bytes);

        assertThat(back.getUserId()).isEqualTo("u1");
        assertThat(client.subjects()).contains("perkamo.shop.outcomes-value");
    }
}
