package io.perkamo.api;

import static io.perkamo.api.SdkContract.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthIT {
    private static TestApi api;
    private static final String EVENT = "{\"user_id\":\"u1\",\"event\":\"purchase.completed\",\"transaction_id\":\"t1\"}";

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void resetClock() {
        api.clock.set(TestApi.NOW);
    }

    @Test
    void shouldAnswer401MissingApiKeyWithARequestId() {
        assertError(api.post(null, "/v1/events", EVENT), 401, "missing_api_key");
        assertThat(api.gateway.submitted).noneMatch(i -> i.transactionId().orElse("").equals("t1-nokey"));
    }

    @Test
    void shouldAnswer401InvalidApiKeyForAnUnknownKey() {
        TestApi.Answer a = api.post("sk_test_unknown", "/v1/events", EVENT);
        assertError(a, 401, "invalid_api_key");
        assertThat(a.body()).doesNotContain("sk_test_unknown");
    }

    @Test
    void shouldAnswer403ForbiddenForABrowserKeyOnServerRoutes() {
        assertError(api.post(TestApi.BROWSER_KEY, "/v1/events", EVENT), 403, "forbidden");
        assertError(api.sdkGet(TestApi.BROWSER_KEY, "/v1/profile/u1"), 403, "forbidden");
    }

    @Test
    void shouldAnswer403InsufficientScopeNamingTheScope() {
        TestApi.Answer a = api.post(TestApi.READ_ONLY_KEY, "/v1/events", EVENT);
        assertError(a, 403, "insufficient_scope");
        assertThat(a.json().path("scope").asText()).isEqualTo("events:write");
        assertThat(a.json().path("message").asText()).contains("events:write");
        assertError(api.post(TestApi.READ_ONLY_KEY, "/v1/admin/config/rules", "[]"), 403, "insufficient_scope");
    }

    @Test
    void shouldLetTheCustomerReadAliasReadProfiles() {
        api.profiles.put(TestApi.SPACE, "alias-user",
                ProfileQuery.Local.of(Json.object().put("user_id", "alias-user")));
        assertThat(api.sdkGet(TestApi.READ_ONLY_KEY, "/v1/profile/alias-user").status()).isEqualTo(200);
    }

    @Test
    void shouldAnswer403TenantMismatchForAnotherSpacesKey() {
        String body = "{\"space\":\"demo-test\",\"user_id\":\"u1\",\"event\":\"purchase.completed\",\"transaction_id\":\"t-x\"}";
        assertError(api.post(TestApi.OTHER_SPACE_KEY, "/v1/events", body), 403, "tenant_mismatch");
    }

    @Test
    void shouldAnswer403TenantMismatchForAWrongTenantInBodyQueryOrBatchItem() {
        assertError(api.post(TestApi.KEY, "/v1/events",
                "{\"tenant\":\"someone-else\",\"user_id\":\"u1\",\"event\":\"purchase.completed\",\"transaction_id\":\"t2\"}"),
                403, "tenant_mismatch");
        assertError(api.post(TestApi.KEY, "/v1/events?space=someone-else", EVENT), 403, "tenant_mismatch");
        assertError(api.sdkGet(TestApi.KEY, "/v1/program?tenant=someone-else"), 403, "tenant_mismatch");
        assertError(api.post(TestApi.KEY, "/v1/events:batch",
                "{\"events\":[{\"space\":\"nope\",\"user_id\":\"u1\",\"event\":\"a.b\",\"transaction_id\":\"t3\"}]}"),
                403, "tenant_mismatch");
    }

    @Test
    void shouldAcceptTheKeysOwnTenantInBodyAndQuery() {
        TestApi.Answer a = api.post(TestApi.KEY, "/v1/events?tenant=demo-test",
                "{\"space\":\"demo-test\",\"user_id\":\"u1\",\"event\":\"purchase.completed\",\"transaction_id\":\"t-own\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
    }

    @Test
    void shouldAcceptTheSpecTestVectorOverHttp() {
        // key sk_test, ts 1700000000, POST /v1/events, body {"space":"demo"}
        api.keys.add("sk_test", Fakes.server("key_vector", "demo"));
        api.clock.set(java.time.Instant.ofEpochSecond(1700000000L));
        api.validator.override = body -> java.util.Optional.of(java.util.List.of(
                new io.perkamo.schemas.input.Problem("invalid_user_id", "user_id", "user_id is required")));
        try {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("x-perkamo-api-key", "sk_test");
            h.put("x-perkamo-timestamp", "1700000000");
            h.put("x-perkamo-signature", "v1=6bbc1e5ba44b90642cb2f878838723f95d0272760c9bae93162479595e765621");
            TestApi.Answer a = api.send("POST", "/v1/events", "{\"space\":\"demo\"}".getBytes(StandardCharsets.UTF_8), h);
            // authenticated and signature accepted: the request reached validation
            assertError(a, 400, "invalid_user_id");
            h.put("x-perkamo-signature", "v1=7bbc1e5ba44b90642cb2f878838723f95d0272760c9bae93162479595e765621");
            assertError(api.send("POST", "/v1/events", "{\"space\":\"demo\"}".getBytes(StandardCharsets.UTF_8), h),
                    401, "invalid_signature");
        } finally {
            api.validator.override = body -> java.util.Optional.empty();
        }
    }

    @Test
    void shouldAnswer401InvalidSignatureForABadSignature() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-perkamo-api-key", TestApi.KEY);
        h.put("x-perkamo-timestamp", Long.toString(TestApi.NOW.getEpochSecond()));
        // signed for another body
        h.put("x-perkamo-signature", Signatures.sign(TestApi.KEY, Long.toString(TestApi.NOW.getEpochSecond()), "POST",
                "/v1/events", "{}".getBytes(StandardCharsets.UTF_8)));
        assertError(api.send("POST", "/v1/events", EVENT.getBytes(StandardCharsets.UTF_8), h), 401, "invalid_signature");
        // signed with another key
        h.put("x-perkamo-signature", Signatures.sign(TestApi.OTHER_SPACE_KEY,
                Long.toString(TestApi.NOW.getEpochSecond()), "POST", "/v1/events", EVENT.getBytes(StandardCharsets.UTF_8)));
        assertError(api.send("POST", "/v1/events", EVENT.getBytes(StandardCharsets.UTF_8), h), 401, "invalid_signature");
    }

    @Test
    void shouldAnswer401SignatureExpiredOutsideTheWindow() {
        String old = Long.toString(TestApi.NOW.getEpochSecond() - 301);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-perkamo-api-key", TestApi.KEY);
        h.put("x-perkamo-timestamp", old);
        h.put("x-perkamo-signature", Signatures.sign(TestApi.KEY, old, "POST", "/v1/events",
                EVENT.getBytes(StandardCharsets.UTF_8)));
        assertError(api.send("POST", "/v1/events", EVENT.getBytes(StandardCharsets.UTF_8), h), 401, "signature_expired");
    }

    @Test
    void shouldRequireSignaturesWhenTheSpaceSaysSo() {
        assertError(api.post(TestApi.SIGNED_ONLY_KEY, "/v1/events", EVENT), 401, "signature_required");
        String body = "{\"user_id\":\"u1\",\"event\":\"purchase.completed\",\"transaction_id\":\"t-signed\"}";
        assertThat(api.sdkPost(TestApi.SIGNED_ONLY_KEY, "/v1/events", body).status()).isEqualTo(200);
        // the SDK never signs GETs: reads stay possible
        assertThat(api.sdkGet(TestApi.SIGNED_ONLY_KEY, "/v1/program").status()).isEqualTo(200);
    }

    @Test
    void shouldVerifyTheSignatureOverTheRawPercentEncodedPath() {
        api.profiles.put(TestApi.SPACE, "account:acme:42",
                ProfileQuery.Local.of(Json.object().put("user_id", "account:acme:42")));
        String ts = Long.toString(TestApi.NOW.getEpochSecond());
        String path = "/v1/profile/account%3Aacme%3A42";
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-perkamo-api-key", TestApi.KEY);
        h.put("x-perkamo-timestamp", ts);
        h.put("x-perkamo-signature", Signatures.sign(TestApi.KEY, ts, "GET", path, new byte[0]));
        assertThat(api.send("GET", path, null, h).status()).isEqualTo(200);
        h.put("x-perkamo-signature", Signatures.sign(TestApi.KEY, ts, "GET", "/v1/profile/account:acme:42", new byte[0]));
        assertError(api.send("GET", path, null, h), 401, "invalid_signature");
    }
}
