package io.perkamo.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class HttpSchemaRegistryClientTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Schema SCHEMA = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"t\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");

    private FakeRegistryServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeRegistryServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldPostTheSchemaToRegisterAndReturnTheId() throws IOException {
        server.answer(200, "{\"id\": 7}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        int id = client.register("perkamo.demo.events-value", SCHEMA);

        assertThat(id).isEqualTo(7);
        FakeRegistryServer.Request request = server.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/subjects/perkamo.demo.events-value/versions");
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.accept()).contains("application/vnd.schemaregistry.v1+json").contains("application/json");
        JsonNode body = MAPPER.readTree(request.body());
        assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(SCHEMA);
        assertThat(body.has("schemaType")).as("AVRO is the default and is left out").isFalse();
    }

    @Test
    void shouldCacheRegistrationsPerSubjectAndSchema() {
        server.answer(200, "{\"id\": 7}").answer(200, "{\"id\": 7}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        client.register("a-value", SCHEMA);
        client.register("a-value", SCHEMA);
        client.register("b-value", SCHEMA);

        assertThat(server.requests()).extracting(FakeRegistryServer.Request::rawPath)
                .containsExactly("/subjects/a-value/versions", "/subjects/b-value/versions");
    }

    @Test
    void shouldKeepThePathPrefixOfTheBaseUrl() {
        server.answer(200, "{\"schema\": " + quoted(SCHEMA) + "}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url() + "/apis/ccompat/v7");

        client.getById(3);

        assertThat(server.onlyRequest().rawPath()).isEqualTo("/apis/ccompat/v7/schemas/ids/3");
    }

    @Test
    void shouldIgnoreTrailingSlashesOfTheBaseUrl() {
        server.answer(200, "[\"a\"]").answer(200, "[\"a\"]");

        new HttpSchemaRegistryClient(server.url() + "/").subjects();
        new HttpSchemaRegistryClient(server.url() + "/apis/ccompat/v7//").subjects();

        assertThat(server.requests()).extracting(FakeRegistryServer.Request::rawPath)
                .containsExactly("/subjects", "/apis/ccompat/v7/subjects");
    }

    @Test
    void shouldUrlEncodeSubjectsAsOnePathSegment() {
        server.answer(200, "[1]");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        client.versions("odd subject/ä:1");

        assertThat(server.onlyRequest().rawPath()).isEqualTo("/subjects/odd%20subject%2F%C3%A4%3A1/versions");
    }

    @Test
    void shouldCacheSchemasById() {
        server.answer(200, "{\"schema\": " + quoted(SCHEMA) + ", \"schemaType\": \"AVRO\", \"references\": []}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        Schema first = client.getById(5);
        Schema second = client.getById(5);

        assertThat(first).isEqualTo(SCHEMA).isEqualTo(second);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldNotAskForTheSchemaOfAnIdItJustRegistered() {
        server.answer(200, "{\"id\": 9}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        client.register("s-value", SCHEMA);

        assertThat(client.getById(9)).isEqualTo(SCHEMA);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldListSubjectsAndVersions() {
        server.answer(200, "application/json", "[\"a-value\", \"b-key\"]").answer(200, "[1, 2, 5]");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThat(client.subjects()).containsExactly("a-value", "b-key");
        assertThat(client.versions("a-value")).containsExactly(1, 2, 5);
        assertThat(server.requests()).extracting(FakeRegistryServer.Request::method).containsOnly("GET");
    }

    @Test
    void shouldReadASubjectVersionWithExtraFieldsAndNoSchemaType() {
        server.answer(200, "{\"subject\": \"a-value\", \"version\": 2, \"id\": 11, \"schema\": " + quoted(SCHEMA)
                + ", \"deleted\": false, \"guid\": \"x\"}");
        server.answer(200, "{\"subject\": \"a-value\", \"version\": 2, \"id\": 11, \"schema\": " + quoted(SCHEMA) + "}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        SubjectVersion latest = client.getLatestVersion("a-value");
        SubjectVersion second = client.getVersion("a-value", 2);

        assertThat(latest).isEqualTo(new SubjectVersion("a-value", 2, 11, SCHEMA)).isEqualTo(second);
        assertThat(server.requests()).extracting(FakeRegistryServer.Request::rawPath)
                .containsExactly("/subjects/a-value/versions/latest", "/subjects/a-value/versions/2");
    }

    @Test
    void shouldRefuseANonAvroSchema() {
        server.answer(200, "{\"schema\": \"syntax = \\\"proto3\\\";\", \"schemaType\": \"PROTOBUF\"}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.getById(4));

        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.UNUSABLE_SCHEMA);
        assertThat(e).hasMessageContaining("PROTOBUF");
    }

    @Test
    void shouldPostToTheCompatibilityEndpoint() throws IOException {
        server.answer(200, "{\"is_compatible\": false, \"messages\": [\"reader field missing default\"]}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url() + "/prefix");

        boolean compatible = client.isCompatible("a-value", SCHEMA);

        assertThat(compatible).isFalse();
        FakeRegistryServer.Request request = server.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/prefix/compatibility/subjects/a-value/versions/latest");
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(MAPPER.readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
    }

    @Test
    void shouldTreatASubjectWithoutVersionsAsCompatible() {
        server.answer(404, "{\"error_code\": 40401, \"message\": \"Subject 'a-value' not found.\"}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThat(client.isCompatible("a-value", SCHEMA)).isTrue();
    }

    @Test
    void shouldMapNotFoundToAnExceptionWithStatusAndErrorCode() {
        server.answer(404, "{\"error_code\": 40403, \"message\": \"Schema 42 not found\"}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.getById(42));

        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
        assertThat(e.isNotFound()).isTrue();
        assertThat(e).hasMessageContaining("Schema 42 not found");
    }

    @Test
    void shouldMapAnIncompatibleRegistrationToA409() {
        server.answer(409, "{\"error_code\": 409, \"message\": \"Schema being registered is incompatible\"}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register("a-value", SCHEMA));

        assertThat(e.httpStatus()).isEqualTo(409);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        assertThat(e.isNotFound()).isFalse();
    }

    @Test
    void shouldMapAServerErrorWithoutJsonBody() {
        server.answer(500, "text/html", "<html>bad gateway</html>");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, client::subjects);

        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(e.errorCode()).isZero();
        assertThat(e).hasMessageContaining("500").hasMessageContaining("bad gateway");
    }

    @Test
    void shouldNotCacheFailures() {
        server.answer(500, "{\"error_code\": 50001, \"message\": \"store error\"}")
                .answer(200, "{\"schema\": " + quoted(SCHEMA) + "}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

        assertThatThrownBy(() -> client.getById(1)).isInstanceOf(SchemaRegistryException.class);
        assertThat(client.getById(1)).isEqualTo(SCHEMA);
    }

    @Test
    void shouldTryTheNextUrlWhenOneIsUnreachable() throws IOException {
        String dead;
        try (FakeRegistryServer closed = new FakeRegistryServer()) {
            dead = closed.url();
        }
        server.answer(200, "[]");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(dead + "," + server.url());

        assertThat(client.subjects()).isEmpty();
    }

    @Test
    void shouldReportAnUnreachableRegistryWithStatusZero() throws IOException {
        String dead;
        try (FakeRegistryServer closed = new FakeRegistryServer()) {
            dead = closed.url();
        }
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(dead);

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, client::subjects);

        assertThat(e.httpStatus()).isZero();
        assertThat(e).hasMessageContaining("unreachable");
    }

    @Test
    void shouldRejectANonHttpUrl() {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient("mock://registry"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String quoted(Schema schema) {
        try {
            return MAPPER.writeValueAsString(schema.toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
