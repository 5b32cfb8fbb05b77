package io.perkamo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.schemas.input.Input;

/** Requests byte-for-byte as perkamo/sdk sends them (fixtures), answers its parsers accept. */
class PhpSdkWireIT {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void fixturesShouldBeShapedLikePhpJsonEncode() {
        String emit = TestApi.fixture("emit-event.request.json");
        assertThat(emit).contains("https:\\/\\/shop.example").contains("caf\\u00e9")
                .contains("\"occurred_at\":\"2026-06-01T10:00:00+00:00\"").doesNotContain(" ");
        assertThat(TestApi.fixture("emit-event-empty-context.request.json")).contains("\"context\":[]");
        assertThat(TestApi.fixture("identify-empty-traits.request.json")).contains("\"traits\":[]");
    }

    @Test
    void emitEventShouldBeAcceptedAndParseable() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events", TestApi.fixture("emit-event.request.json"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        SdkContract.assertIngestResult(a.json());
        Input.Event e = (Input.Event) api.gateway.submitted.stream()
                .filter(i -> i.transactionId().equals(Optional.of("order_1092"))).findFirst().orElseThrow();
        assertThat(e.userId()).isEqualTo("account:acme:42");
        assertThat(e.context().path("url").asText()).isEqualTo("https://shop.example/orders/1092");
        assertThat(e.context().path("note").asText()).isEqualTo("café");
    }

    @Test
    void emitEventWithEmptyContextArrayShouldBeAccepted() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events", TestApi.fixture("emit-event-empty-context.request.json"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        SdkContract.assertIngestResult(a.json());
    }

    @Test
    void retryOfTheSameCallShouldComeBackDuplicate() {
        String body = TestApi.fixture("emit-event-empty-context.request.json").replace("tx_5f0c", "tx_9a9a");
        api.sdkPost(TestApi.KEY, "/v1/events", body);
        TestApi.Answer retry = api.sdkPost(TestApi.KEY, "/v1/events", body);
        SdkContract.assertIngestResult(retry.json());
        assertThat(retry.json().path("duplicate").asBoolean()).isTrue();
    }

    @Test
    void batchShouldBeAcceptedAndParseable() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events:batch", TestApi.fixture("batch.request.json"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        SdkContract.assertBatchResult(a.json());
        assertThat(a.json().path("results")).hasSize(2);
    }

    @Test
    void batchOfSeveralEventsOfOneUserShouldAnswerEachItemWithItsOwnOutcome() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/events:batch", TestApi.fixture("batch-same-user.request.json"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        SdkContract.assertBatchResult(a.json());
        JsonNode results = a.json().path("results");
        assertThat(results).hasSize(4);
        String[] expected = {"mixed_lesson_1", "mixed_order_1", "mixed_lesson_2", "mixed_order_2"};
        for (int i = 0; i < expected.length; i++) {
            assertThat(results.get(i).path("applied").asBoolean()).as(results.get(i).toString()).isTrue();
            assertThat(results.get(i).path("transaction_id").asText()).isEqualTo(expected[i]);
        }
        String requestId = a.header("x-perkamo-request-id");
        assertThat(api.gateway.requestIds).contains(requestId + ".0", requestId + ".1", requestId + ".2",
                requestId + ".3");
    }

    @Test
    void identifyWithEmptyTraitsShouldBeAccepted() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/identify", TestApi.fixture("identify-empty-traits.request.json"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().isObject()).isTrue();
    }

    @Test
    void profileOfARawurlencodedIdShouldBeFound() {
        api.profiles.put(TestApi.SPACE, "account:acme:42",
                ProfileQuery.Local.of(Json.object().put("user_id", "account:acme:42")));
        TestApi.Answer a = api.sdkGet(TestApi.KEY, "/v1/profile/account%3Aacme%3A42");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("user_id").asText()).isEqualTo("account:acme:42");
    }

    @Test
    void customerOfTheSdk07ShouldReadTheCustomerRoute() {
        api.profiles.put(TestApi.SPACE, "account:acme:42",
                ProfileQuery.Local.of(Json.object().put("user_id", "account:acme:42")));
        TestApi.Answer a = api.sdkGet(TestApi.KEY, "/v1/customer/account%3Aacme%3A42");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("user_id").asText()).isEqualTo("account:acme:42");
    }

    @Test
    void createBrowserTokenShouldBeAcceptedAndParseable() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/browser-tokens", TestApi.fixture("browser-token.request.json"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        SdkContract.assertBrowserToken(a.json());
        assertThat(a.json().path("expires_in").asInt()).isEqualTo(600);
        assertThat(a.header("cache-control")).isEqualTo("no-store");
        assertThat(api.access.minted).contains("pk_test_demo_0123456789|account:acme:42|OptionalInt[600]|false");
    }

    @Test
    void createBrowserTokenWithoutTtlShouldTakeTheKeysDefault() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/browser-tokens",
                TestApi.fixture("browser-token-default-ttl.request.json"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        SdkContract.assertBrowserToken(a.json());
        assertThat(api.access.minted).contains("pk_test_demo_0123456789|account:acme:42|OptionalInt.empty|false");
    }

    @Test
    void createBrowserStreamTokenShouldAskForAStreamToken() {
        TestApi.Answer a = api.sdkPost(TestApi.KEY, "/v1/browser-tokens",
                TestApi.fixture("browser-stream-token.request.json"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        SdkContract.assertBrowserToken(a.json());
        assertThat(a.json().path("scope").toString()).isEqualTo("[\"stream:read\"]");
        assertThat(api.access.minted).contains("pk_test_demo_0123456789|account:acme:42|OptionalInt[120]|true");
    }

    @Test
    void eventCatalogShouldBeAList() {
        TestApi.Answer a = api.sdkGet(TestApi.KEY, "/v1/program");
        JsonNode catalog = a.json().path("blueprint").path("earningRules");
        assertThat(catalog.isArray()).isTrue();
    }

    @Test
    void errorsShouldBeJsonWithMessageAndTheRequestIdHeader() {
        TestApi.Answer a = api.sdkPost("sk_test_revoked", "/v1/events", TestApi.fixture("emit-event.request.json"));
        SdkContract.assertError(a, 401, "invalid_api_key");
        assertThat(a.header("content-type")).startsWith("application/json");
    }
}
