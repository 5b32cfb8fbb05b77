package io.perkamo.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.perkamo.testing.TestKafka;

class SchemaRegistryServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static final String USER_V1 = """
            {"type":"record","name":"User","namespace":"io.perkamo.test",
             "fields":[{"name":"name","type":"string"}]}""";
    /** Adds a field with a default: a reader of v2 can read v1 data (backward compatible). */
    static final String USER_V2 = """
            {"type":"record","name":"User","namespace":"io.perkamo.test",
             "fields":[{"name":"name","type":"string"},{"name":"age","type":"int","default":0}]}""";
    /** Adds a field without a default: a reader of it cannot read v1 data. */
    static final String USER_NO_DEFAULT = """
            {"type":"record","name":"User","namespace":"io.perkamo.test",
             "fields":[{"name":"name","type":"string"},{"name":"email","type":"string"}]}""";
    static final String ORDER = """
            {"type":"record","name":"Order","fields":[{"name":"total","type":"long"}]}""";

    private static SchemaRegistryServer server;

    @BeforeAll
    static void startServer() {
        server = new SchemaRegistryServer(TestKafka.bootstrapServers(), 0, TestKafka.uniqueSlug("_schemas-it"))
                .start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void shouldServeARegisteredSchemaByIdAndBySubjectVersion() throws Exception {
        // given
        String subject = subject("serve");

        // when
        Reply registered = post("/subjects/" + subject + "/versions", schemaBody(USER_V1));

        // then
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.contentType()).startsWith(SchemaRegistryServer.CONTENT_TYPE);
        int id = registered.json().get("id").asInt();
        assertThat(get("/schemas/ids/" + id).json().get("schema").asText()).isEqualTo(USER_V1);
        assertThat(get("/schemas/ids/" + id + "/schema").body()).isEqualTo(USER_V1);
        assertThat(get("/subjects/" + subject + "/versions").json()).containsExactly(JSON.valueToTree(1));
        assertThat(get("/subjects").json().toString()).contains("\"" + subject + "\"");
        JsonNode latest = get("/subjects/" + subject + "/versions/latest").json();
        assertThat(latest.get("subject").asText()).isEqualTo(subject);
        assertThat(latest.get("version").asInt()).isEqualTo(1);
        assertThat(latest.get("id").asInt()).isEqualTo(id);
        assertThat(latest.get("schema").asText()).isEqualTo(USER_V1);
        assertThat(get("/subjects/" + subject + "/versions/1/schema").body()).isEqualTo(USER_V1);
        assertThat(get("/schemas/ids/" + id + "/versions").json().toString())
                .contains("\"subject\":\"" + subject + "\"");
    }

    @Test
    void shouldReturnTheExistingIdWhenTheSameSchemaIsRegisteredAgain() throws Exception {
        // given a schema registered once
        String subject = subject("idempotent");
        int first = register(subject, USER_V1);

        // when the same schema, formatted differently, is registered again
        Reply again = post("/subjects/" + subject + "/versions",
                schemaBody(JSON.readTree(USER_V1).toPrettyString()));

        // then it gets the same id and no new version
        assertThat(again.json().get("id").asInt()).isEqualTo(first);
        assertThat(get("/subjects/" + subject + "/versions").json()).hasSize(1);
    }

    @Test
    void shouldReuseTheGlobalIdForTheSameSchemaUnderAnotherSubject() throws Exception {
        // given
        int id = register(subject("first"), ORDER);

        // when
        int other = register(subject("second"), ORDER);

        // then
        assertThat(other).isEqualTo(id);
        assertThat(register(subject("third"), USER_V1)).isNotEqualTo(id);
    }

    @Test
    void shouldLookUpASchemaUnderItsSubject() throws Exception {
        // given
        String subject = subject("lookup");
        register(subject, ORDER);
        int id = register(subject, ORDER.replace("\"total\",\"type\":\"long\"",
                "\"total\",\"type\":\"long\"},{\"name\":\"n\",\"type\":\"int\",\"default\":1"));

        // when
        Reply found = post("/subjects/" + subject, schemaBody(ORDER.replace("\"total\",\"type\":\"long\"",
                "\"total\",\"type\":\"long\"},{\"name\":\"n\",\"type\":\"int\",\"default\":1")));

        // then
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("id").asInt()).isEqualTo(id);
        assertThat(found.json().get("version").asInt()).isEqualTo(2);
        assertThat(found.json().get("subject").asText()).isEqualTo(subject);
        assertError(post("/subjects/" + subject, schemaBody(USER_V1)), 404, 40403);
        assertError(post("/subjects/" + subject("nobody"), schemaBody(ORDER)), 404, 40401);
    }

    @Test
    void shouldAcceptABackwardCompatibleNewVersion() throws Exception {
        // given
        String subject = subject("evolve");
        int v1 = register(subject, USER_V1);

        // when
        Reply check = post("/compatibility/subjects/" + subject + "/versions/latest", schemaBody(USER_V2));
        int v2 = register(subject, USER_V2);

        // then
        assertThat(check.json().get("is_compatible").asBoolean()).isTrue();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1,2]");
        assertThat(get("/subjects/" + subject + "/versions/latest").json().get("id").asInt()).isEqualTo(v2);
        assertThat(get("/subjects/" + subject + "/versions/1").json().get("id").asInt()).isEqualTo(v1);
    }

    @Test
    void shouldRejectABackwardIncompatibleSchemaWith409() throws Exception {
        // given
        String subject = subject("incompatible");
        register(subject, USER_V1);

        // when
        Reply check = post("/compatibility/subjects/" + subject + "/versions/1?verbose=true",
                schemaBody(USER_NO_DEFAULT));
        Reply registered = post("/subjects/" + subject + "/versions", schemaBody(USER_NO_DEFAULT));

        // then
        assertThat(check.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(check.json().get("messages").toString()).contains("email");
        assertError(registered, 409, 409);
        assertThat(get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1]");
    }

    @Test
    void shouldCallAnythingCompatibleWithAnUnknownSubject() throws Exception {
        Reply check = post("/compatibility/subjects/" + subject("unknown") + "/versions/latest",
                schemaBody(USER_NO_DEFAULT));

        assertThat(check.status()).isEqualTo(200);
        assertThat(check.json().get("is_compatible").asBoolean()).isTrue();
    }

    @Test
    void shouldRejectInvalidAndNonAvroSchemasWith42201() throws Exception {
        String subject = subject("invalid");

        assertError(post("/subjects/" + subject + "/versions", schemaBody("{\"type\":\"record\",\"name\":\"X\"}")),
                422, 42201);
        assertError(post("/subjects/" + subject + "/versions", "{\"schema\":\"{}\",\"schemaType\":\"PROTOBUF\"}"),
                422, 42201);
        assertError(post("/subjects/" + subject + "/versions", "{}"), 422, 42201);
        assertError(get("/subjects/" + subject + "/versions"), 404, 40401);
    }

    @Test
    void shouldAnswerUnknownThingsWithConfluentErrorCodes() throws Exception {
        String subject = subject("unknowns");
        register(subject, ORDER);

        assertError(get("/schemas/ids/999999"), 404, 40403);
        assertError(get("/subjects/" + subject("missing") + "/versions"), 404, 40401);
        assertError(get("/subjects/" + subject("missing") + "/versions/latest"), 404, 40401);
        assertError(get("/subjects/" + subject + "/versions/7"), 404, 40402);
        assertError(get("/subjects/" + subject + "/versions/zero"), 422, 42202);
        assertError(get("/no/such/route"), 404, 404);
    }

    @Test
    void shouldStoreACompatibilityLevelPerSubject() throws Exception {
        // given
        String subject = subject("config");
        register(subject, USER_V1);
        assertThat(get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertError(get("/config/" + subject), 404, 40408);

        // when
        Reply put = put("/config/" + subject, "{\"compatibility\":\"NONE\"}");

        // then
        assertThat(put.json().get("compatibility").asText()).isEqualTo("NONE");
        assertThat(get("/config/" + subject).json().get("compatibilityLevel").asText()).isEqualTo("NONE");
        assertThat(get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(post("/subjects/" + subject + "/versions", schemaBody(USER_NO_DEFAULT)).status()).isEqualTo(200);
        assertError(put("/config/" + subject, "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
    }

    @Test
    void shouldCheckForwardCompatibilityWhenTheSubjectAsksForIt() throws Exception {
        // given a subject whose readers are the old schema (FORWARD)
        String subject = subject("forward");
        register(subject, USER_V2);
        put("/config/" + subject, "{\"compatibility\":\"FORWARD_TRANSITIVE\"}");

        // when a new version drops the field: old readers fill in its default, so forward-compatible
        Reply dropping = post("/compatibility/subjects/" + subject + "/versions/latest", schemaBody(USER_V1));
        // and when one changes a field's type: old readers cannot read it
        Reply retyped = post("/compatibility/subjects/" + subject + "/versions/latest",
                schemaBody(USER_V2.replace("\"age\",\"type\":\"int\",\"default\":0",
                        "\"age\",\"type\":\"string\",\"default\":\"\"")));

        // then
        assertThat(dropping.json().get("is_compatible").asBoolean()).isTrue();
        assertThat(retyped.json().get("is_compatible").asBoolean()).isFalse();
    }

    @Test
    void shouldSoftDeleteASubjectButKeepItsIds() throws Exception {
        // given
        String subject = subject("delete");
        int id = register(subject, USER_V1);
        register(subject, USER_V2);

        // when
        Reply deleted = delete("/subjects/" + subject);

        // then
        assertThat(deleted.json().toString()).isEqualTo("[1,2]");
        assertThat(get("/subjects").json().toString()).doesNotContain("\"" + subject + "\"");
        assertError(get("/subjects/" + subject + "/versions"), 404, 40401);
        assertThat(get("/schemas/ids/" + id).status()).isEqualTo(200);
        assertError(delete("/subjects/" + subject), 404, 40404);
        // and a new registration continues the version numbers
        register(subject, USER_V1);
        assertThat(get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[3]");
    }

    @Test
    void shouldAcceptTheConfluentContentTypeAndNone() throws Exception {
        String subject = subject("content-types");

        Reply confluent = send(HttpRequest.newBuilder(uri("/subjects/" + subject + "/versions"))
                .header("Content-Type", SchemaRegistryServer.CONTENT_TYPE)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, "
                        + "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(schemaBody(ORDER))).build());
        Reply none = send(HttpRequest.newBuilder(uri("/subjects/" + subject + "/versions"))
                .POST(HttpRequest.BodyPublishers.ofString(schemaBody(ORDER))).build());

        assertThat(confluent.status()).isEqualTo(200);
        assertThat(none.json().get("id").asInt()).isEqualTo(confluent.json().get("id").asInt());
    }

    @Test
    void shouldDecodeUrlEncodedSubjectNames() throws Exception {
        // given a subject with characters that must be encoded in a path
        String subject = "orders value/v1 " + TestKafka.uniqueSlug("enc") + " ü:%";
        String encoded = encode(subject);

        // when
        int id = register(encoded, ORDER);

        // then the subject is stored decoded and found through its encoded form
        assertThat(get("/subjects").json().toString()).contains(JSON.writeValueAsString(subject));
        JsonNode latest = get("/subjects/" + encoded + "/versions/latest").json();
        assertThat(latest.get("subject").asText()).isEqualTo(subject);
        assertThat(latest.get("id").asInt()).isEqualTo(id);
    }

    @Test
    void shouldAnswerOldIdsAfterARestartOnTheSameTopic() throws Exception {
        // given a server that registered schemas and stopped
        String topic = TestKafka.uniqueSlug("_schemas-restart");
        String subject = subject("restart");
        int v1;
        int v2;
        try (SchemaRegistryServer first = new SchemaRegistryServer(TestKafka.bootstrapServers(), 0, topic).start()) {
            v1 = register(first, subject, USER_V1);
            v2 = register(first, subject, USER_V2);
            put(first, "/config/" + subject, "{\"compatibility\":\"FULL\"}");
        }

        // when a new server starts on the same topic
        try (SchemaRegistryServer second = new SchemaRegistryServer(TestKafka.bootstrapServers(), 0, topic).start()) {
            // then it answers the old ids, versions and config, and hands out fresh ids
            assertThat(send(second, get(second, "/schemas/ids/" + v1)).json().get("schema").asText())
                    .isEqualTo(USER_V1);
            assertThat(send(second, get(second, "/subjects/" + subject + "/versions/latest")).json()
                    .get("id").asInt()).isEqualTo(v2);
            assertThat(send(second, get(second, "/config/" + subject)).json().get("compatibilityLevel").asText())
                    .isEqualTo("FULL");
            assertThat(register(second, subject, USER_V2)).isEqualTo(v2);
            int fresh = register(second, subject("restart-other"), ORDER);
            assertThat(fresh).isNotIn(v1, v2);
        }
    }

    @Test
    void shouldNameThePortWhenItIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> new SchemaRegistryServer(TestKafka.bootstrapServers(), port,
                    TestKafka.uniqueSlug("_schemas-port")).start())
                    .isInstanceOf(Ports.PortInUseException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("schema registry")
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void shouldParseEveryServedSchemaWithAvro() throws Exception {
        String subject = subject("parse");
        int id = register(subject, USER_V2);

        Schema served = new Schema.Parser().parse(get("/schemas/ids/" + id + "/schema").body());

        assertThat(served).isEqualTo(new Schema.Parser().parse(USER_V2));
    }

    // --- helpers ------------------------------------------------------------------------

    record Reply(int status, String body, String contentType) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private static String subject(String name) {
        return TestKafka.uniqueSlug(name) + "-value";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String schemaBody(String schema) throws Exception {
        return JSON.writeValueAsString(java.util.Map.of("schema", schema));
    }

    private static void assertError(Reply reply, int status, int code) throws Exception {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith(SchemaRegistryServer.CONTENT_TYPE);
        assertThat(reply.json().get("error_code").asInt()).as(reply.body()).isEqualTo(code);
        assertThat(reply.json().get("message").asText()).isNotBlank();
    }

    private static int register(String subject, String schema) throws Exception {
        return register(server, subject, schema);
    }

    private static int register(SchemaRegistryServer s, String subject, String schema) throws Exception {
        Reply reply = send(s, HttpRequest.newBuilder(URI.create(s.url() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(schemaBody(schema))).build());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("id").asInt();
    }

    private static URI uri(String path) {
        return URI.create(server.url() + path);
    }

    private static Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private static HttpRequest get(SchemaRegistryServer s, String path) {
        return HttpRequest.newBuilder(URI.create(s.url() + path)).GET().build();
    }

    private static Reply post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Reply put(String path, String body) throws Exception {
        return put(server, path, body);
    }

    private static Reply put(SchemaRegistryServer s, String path, String body) throws Exception {
        return send(s, HttpRequest.newBuilder(URI.create(s.url() + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Reply delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
    }

    private static Reply send(HttpRequest request) throws Exception {
        return send(server, request);
    }

    private static Reply send(SchemaRegistryServer s, HttpRequest request) throws Exception {
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }
}
