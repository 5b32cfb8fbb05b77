package io.perkamo.api;

import static io.perkamo.api.SdkContract.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.Problem;

class IngestIT {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void reset() {
        api.validator.override = body -> Optional.empty();
        api.gateway.stall = false;
    }

    private static String event(String user, String tx, String contextJson) {
        return "{\"user_id\":\"" + user + "\",\"event\":\"purchase.completed\",\"transaction_id\":\"" + tx
                + "\",\"context\":" + contextJson + ",\"occurred_at\":\"2026-06-01T10:00:00+00:00\"}";
    }

    @Test
    void shouldAnswerTheIngestResultOfANewEvent() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events", event("ingest-1", "order_1", "{\"amount\":1}"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode r = a.json();
        SdkContract.assertIngestResult(r);
        assertThat(r.path("applied").asBoolean()).isTrue();
        assertThat(r.path("transaction_id").asText()).isEqualTo("order_1");
        assertThat(a.header("x-perkamo-request-id")).matches("req_[0-9A-Za-z]{24}");
        assertThat(api.gateway.requestIds).contains(a.header("x-perkamo-request-id"));
    }

    @Test
    void shouldAnswerDuplicateTrueForARetryWithTheSamePayloadAndANewOccurredAt() {
        String first = event("ingest-dup", "order_dup", "{\"amount\":5}");
        String retry = first.replace("2026-06-01T10:00:00+00:00", "2026-06-01T10:00:07+00:00");
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events", first);
        TestApi.Answer b = api.sdkPost(TestApi.KEY, "/v1/events", retry);
        assertThat(b.status()).as(b.body()).isEqualTo(200);
        SdkContract.assertIngestResult(b.json());
        assertThat(b.json().path("duplicate").asBoolean()).isTrue();
        assertThat(b.json().path("applied").asBoolean()).isFalse();
        assertThat(b.json().path("delta")).isEqualTo(a.json().path("delta"));
    }

    @Test
    void shouldAnswer409IdempotencyConflictForAReusedTransactionIdWithAnotherPayload() {
        api.sdkPost(TestApi.KEY, "/v1/events", event("ingest-conflict", "order_c", "{\"amount\":5}"));
        TestApi.Answer b = api.sdkPost(TestApi.KEY, "/v1/events", event("ingest-conflict", "order_c", "{\"amount\":6}"));
        assertError(b, 409, "idempotency_conflict");
        assertThat(b.json().path("transaction_id").asText()).isEqualTo("order_c");
    }

    static List<String> validationCodes() throws IllegalAccessException {
        List<String> codes = new ArrayList<>();
        for (Field f : ErrorCodes.class.getFields()) {
            String code = (String) f.get(null);
            if (!code.equals(ErrorCodes.IDEMPOTENCY_CONFLICT)) {
                codes.add(code);
            }
        }
        return codes;
    }

    @ParameterizedTest
    @MethodSource("validationCodes")
    void shouldAnswer400WithEveryValidationCodeAndEveryProblem(String code) {
        api.validator.override = body -> Optional.of(List.of(
                new Problem(code, "some_field", "first problem: " + code),
                new Problem(ErrorCodes.INVALID_CONTEXT, "context", "second problem")));
        int before = api.gateway.submitted.size();
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events", event("ingest-invalid", "order_v", "[]"));
        assertError(a, 400, code);
        assertThat(a.json().path("message").asText()).isEqualTo("first problem: " + code);
        assertThat(a.json().path("errors")).hasSize(2);
        assertThat(a.json().path("errors").get(0).path("field").asText()).isEqualTo("some_field");
        assertThat(a.json().path("errors").get(1).path("code").asText()).isEqualTo(ErrorCodes.INVALID_CONTEXT);
        assertThat(api.gateway.submitted).hasSize(before);
    }

    @Test
    void shouldAnswer400InvalidJsonForMalformedBodies() {
        for (String body : new String[] {"{\"user_id\":", "", "[1,2]", "{} trailing", "\"text\""}) {
            assertError(api.post(TestApi.KEY, "/v1/events", body), 400, "invalid_json");
        }
    }

    @Test
    void shouldAcceptBodiesWithoutAJsonContentType() {
        TestApi.Answer a = api.send("POST", "/v1/events",
                event("ingest-ct", "order_ct", "[]").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.util.Map.of("x-perkamo-api-key", TestApi.KEY, "content-type", "text/plain"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
    }

    @Test
    void shouldAnswer503ProcessingTimeoutWithRetryAfter() {
        try (TestApi quick = new TestApi(Duration.ofMillis(200), 64 * 1024)) {
            quick.gateway.stall = true;
            TestApi.Answer a = quick.sdkPost(TestApi.KEY, "/v1/events", event("ingest-slow", "order_slow", "[]"));
            assertError(a, 503, "processing_timeout");
            assertThat(a.header("retry-after")).isEqualTo("1");
        }
    }

    @Test
    void shouldAnswer503WhenTheGatewayFails() {
        api.gateway.stall = false;
        IngestGateway failing = (space, input, id) -> { throw new IllegalStateException("producer closed"); };
        try (TestApi broken = new TestApi()) {
            ApiServer other = new ApiServer(new ApiServer.Config(0, "", Duration.ofSeconds(1), 1024, broken.clock),
                    broken.keys, broken.validator, failing, broken.profiles, broken.programs, () -> true,
                    broken.registry).start();
            try {
                TestApi.Answer a = new Client(other.port()).post(event("ingest-broken", "order_b", "[]"));
                assertThat(a.status()).isEqualTo(503);
                assertThat(a.json().path("code").asText()).isEqualTo("ingest_unavailable");
            } finally {
                other.close();
            }
        }
    }

    /** Tiny raw client for a second server. */
    private record Client(int port) {
        TestApi.Answer post(String body) {
            try {
                var http = java.net.http.HttpClient.newHttpClient();
                var r = http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://localhost:" + port + "/v1/events"))
                        .header("x-perkamo-api-key", TestApi.KEY)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                return new TestApi.Answer(r.statusCode(), java.util.Map.of(), r.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void shouldAnswerIdentifyWithAJsonObject() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/identify", TestApi.fixture("identify.request.json"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().isObject()).isTrue();
        Input.Identify identify = (Input.Identify) api.gateway.submitted.stream()
                .filter(i -> i instanceof Input.Identify).reduce((x, y) -> y).orElseThrow();
        assertThat(identify.userId()).isEqualTo("account:acme:42");
        assertThat(identify.traits().path("homepage").asText()).isEqualTo("https://jane.example/");
    }

    @Test
    void shouldRunABatchOfMixedItemsInRequestOrderWithFullShapes() {
        api.sdkPost(TestApi.KEY, "/v1/events", event("batch-user", "b_conflict", "{\"n\":1}"));
        String body = "{\"events\":["
                + event("batch-user", "b_ok_1", "[]") + ","
                + "{\"user_id\":\"batch-user\",\"event\":\"NotNamespaced\",\"transaction_id\":\"b_bad\"},"
                + event("batch-user", "b_conflict", "{\"n\":2}") + ","
                + "42,"
                + event("batch-user", "b_ok_2", "{\"n\":3}") + "]}";
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events:batch", body);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        SdkContract.assertBatchResult(a.json());
        JsonNode results = a.json().path("results");
        assertThat(results).hasSize(5);
        assertThat(results.get(0).path("transaction_id").asText()).isEqualTo("b_ok_1");
        assertThat(results.get(0).path("applied").asBoolean()).isTrue();
        assertThat(results.get(1).path("transaction_id").asText()).isEqualTo("b_bad");
        assertThat(results.get(1).path("applied").asBoolean()).isFalse();
        assertThat(results.get(1).path("status").asText()).isEqualTo("rejected");
        assertThat(results.get(1).path("error").path("code").asText()).isEqualTo("invalid_event");
        assertThat(results.get(2).path("error").path("code").asText()).isEqualTo("idempotency_conflict");
        assertThat(results.get(2).path("applied").asBoolean()).isFalse();
        assertThat(results.get(3).path("error").path("code").asText()).isEqualTo("invalid_json");
        assertThat(results.get(4).path("transaction_id").asText()).isEqualTo("b_ok_2");
        assertThat(results.get(4).path("applied").asBoolean()).isTrue();
    }

    @Test
    void shouldMarkTimedOutBatchItems() {
        try (TestApi quick = new TestApi(Duration.ofMillis(200), 64 * 1024)) {
            quick.gateway.stall = true;
            TestApi.Answer a = quick.sdkPost(TestApi.KEY, "/v1/events:batch",
                    "{\"events\":[" + event("slow", "s1", "[]") + "]}");
            assertThat(a.status()).isEqualTo(200);
            SdkContract.assertBatchResult(a.json());
            assertThat(a.json().path("results").get(0).path("error").path("code").asText())
                    .isEqualTo("processing_timeout");
        }
    }

    private static String batchOf(int n, String prefix) {
        StringBuilder sb = new StringBuilder("{\"events\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(event("bulk", prefix + i, "[]"));
        }
        return sb.append("]}").toString();
    }

    @Test
    void shouldAcceptOneHundredItemsAndRefuseOneHundredAndOne() {
        TestApi.Answer ok = api.sdkPost(TestApi.KEY, "/v1/events:batch", batchOf(100, "h"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().path("results")).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(ok.json().path("results").get(i).path("transaction_id").asText()).isEqualTo("h" + i);
        }
        int before = api.gateway.submitted.size();
        assertError(api.sdkPost(TestApi.KEY, "/v1/events:batch", batchOf(101, "x")), 400, "batch_too_large");
        assertThat(api.gateway.submitted).hasSize(before);
    }

    @Test
    void shouldRefuseABatchWithoutAnEventsList() {
        assertError(api.sdkPost(TestApi.KEY, "/v1/events:batch", "{\"events\":{}}"), 400, "invalid_batch");
    }
}
