package io.perkamo.api;

import static io.perkamo.api.SdkContract.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Input;

/** The API over the real shared validation: each rule's code reaches the client as a 400. */
class SharedValidationIT {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withSharedValidation();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static Stream<Arguments> invalidBodies() {
        String big = "x".repeat(17 * 1024);
        return Stream.of(
                Arguments.of("/v1/events", "{\"user_id\":\"\",\"event\":\"a.b\",\"transaction_id\":\"t\"}",
                        ErrorCodes.INVALID_USER_ID),
                Arguments.of("/v1/events", "{\"user_id\":\"" + "u".repeat(257) + "\",\"event\":\"a.b\",\"transaction_id\":\"t\"}",
                        ErrorCodes.INVALID_USER_ID),
                Arguments.of("/v1/events", "{\"user_id\":\"u\",\"event\":\"Purchase\",\"transaction_id\":\"t\"}",
                        ErrorCodes.INVALID_EVENT),
                Arguments.of("/v1/events", "{\"user_id\":\"u\",\"event\":\"purchase\",\"transaction_id\":\"t\"}",
                        ErrorCodes.INVALID_EVENT),
                Arguments.of("/v1/events", "{\"user_id\":\"u\",\"event\":\"a.b\"}", ErrorCodes.INVALID_TRANSACTION_ID),
                Arguments.of("/v1/events", "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":\"x\"}",
                        ErrorCodes.INVALID_CONTEXT),
                Arguments.of("/v1/events", "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":{\"pad\":\""
                        + big + "\"}}", ErrorCodes.CONTEXT_TOO_LARGE),
                Arguments.of("/v1/events", "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"context\":{\"Wallets\":1}}",
                        ErrorCodes.RESERVED_CONTEXT_FIELD),
                Arguments.of("/v1/events", "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"occurred_at\":\"2026-06-01 10:00\"}",
                        ErrorCodes.INVALID_OCCURRED_AT),
                Arguments.of("/v1/events", "{\"user_id\":\"u\",\"event\":\"a.b\",\"transaction_id\":\"t\",\"occurred_at\":\"2026-06-01T10:00:00\"}",
                        ErrorCodes.INVALID_OCCURRED_AT),
                Arguments.of("/v1/identify", "{\"user_id\":\"u\",\"traits\":\"vip\"}", ErrorCodes.INVALID_TRAITS),
                Arguments.of("/v1/identify", "{\"user_id\":\"u\",\"traits\":{\"pad\":\"" + big + "\"}}",
                        ErrorCodes.TRAITS_TOO_LARGE),
                Arguments.of("/v1/events", "{\"user_id\":\"u\",\"user_id\":\"v\",\"event\":\"a.b\",\"transaction_id\":\"t\"}",
                        ErrorCodes.INVALID_JSON),
                Arguments.of("/v1/events", "{\"user_id\":\"u\"", ErrorCodes.INVALID_JSON));
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void shouldAnswer400WithTheSharedRulesCode(String path, String body, String code) {
        int before = api.gateway.submitted.size();
        TestApi.Answer a = api.sdkPost(TestApi.KEY, path, body);
        assertError(a, 400, code);
        if (!code.equals(ErrorCodes.INVALID_JSON)) {
            assertThat(a.json().path("errors").get(0).path("code").asText()).isEqualTo(code);
        }
        assertThat(api.gateway.submitted).hasSize(before);
    }

    @Test
    void shouldListEveryProblemOfOneBody() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events", "{\"user_id\":\"\",\"event\":\"X\",\"context\":{\"xp\":1}}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().path("errors").size()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void shouldAcceptEverySdkFixtureAndKeepExactNumbers() {
        for (String[] call : new String[][] {{"/v1/events", "emit-event.request.json"},
                {"/v1/events", "emit-event-empty-context.request.json"},
                {"/v1/identify", "identify.request.json"}, {"/v1/identify", "identify-empty-traits.request.json"}}) {
            TestApi.Answer a = api.sdkPost(TestApi.KEY, call[0], TestApi.fixture(call[1]));
            assertThat(a.status()).as(call[1] + ": " + a.body()).isEqualTo(200);
        }
        TestApi.Answer batch = api.sdkPost(TestApi.KEY, "/v1/events:batch", TestApi.fixture("batch.request.json"));
        assertThat(batch.status()).isEqualTo(200);
        SdkContract.assertBatchResult(batch.json());

        api.sdkPost(TestApi.KEY, "/v1/events",
                "{\"user_id\":\"n\",\"event\":\"a.b\",\"transaction_id\":\"exact\",\"context\":{\"price\":12.50}}");
        Input.Event e = (Input.Event) api.gateway.submitted.stream()
                .filter(i -> i.transactionId().orElse("").equals("exact")).findFirst().orElseThrow();
        JsonNode price = e.context().path("price");
        assertThat(price.decimalValue().toPlainString()).isEqualTo("12.50");
    }

    @Test
    void shouldIgnoreAKindFieldAndUnknownFieldsInHttpBodies() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/identify",
                "{\"user_id\":\"kind-user\",\"traits\":{},\"kind\":\"redemption\",\"extra\":true}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(api.gateway.submitted).anyMatch(i -> i instanceof Input.Identify && i.userId().equals("kind-user"));
    }

    @Test
    void shouldRejectOnlyTheInvalidItemsOfABatch() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events:batch",
                "{\"events\":[{\"user_id\":\"b\",\"event\":\"a.b\",\"transaction_id\":\"sv1\"},"
                        + "{\"user_id\":\"b\",\"event\":\"a.b\",\"transaction_id\":\"sv2\",\"context\":{\"LEVEL\":2}}]}");
        assertThat(a.status()).isEqualTo(200);
        SdkContract.assertBatchResult(a.json());
        assertThat(a.json().path("results").get(0).path("applied").asBoolean()).isTrue();
        assertThat(a.json().path("results").get(1).path("error").path("code").asText())
                .isEqualTo(ErrorCodes.RESERVED_CONTEXT_FIELD);
    }
}
