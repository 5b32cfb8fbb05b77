package io.perkamo.api;

import static io.perkamo.api.SdkContract.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.perkamo.schemas.input.Input;

/** The client routes' HTTP behaviour over fakes: who a token acts for, what it may send, CORS. */
class ClientRoutesIT {
    private static TestApi api;
    private static final String TOKEN = "token-of-alice";
    private static final String READ_ONLY = "token-read-only";
    private static final String PAGE_VIEWS = "token-page-views-only";

    @BeforeAll
    static void start() {
        api = new TestApi();
        api.access.callers.put(TOKEN, api.access.caller(TestApi.SPACE, "alice", Set.of("profile:read", "events:write"), "*"));
        api.access.callers.put(READ_ONLY, api.access.caller(TestApi.SPACE, "alice", Set.of("profile:read"), "*"));
        api.access.callers.put(PAGE_VIEWS, api.access.caller(TestApi.SPACE, "alice",
                Set.of("profile:read", "events:write"), "page.viewed"));
        api.profiles.put(TestApi.SPACE, "alice", ProfileQuery.Local.of(Json.object().put("user_id", "alice")));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static TestApi.Answer client(String method, String path, String token, String body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        if (token != null) {
            h.put("authorization", "Bearer " + token);
        }
        h.put("content-type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return api.send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), h);
    }

    @Test
    void shouldAnswerTheTokensOwnProfile() {
        TestApi.Answer a = client("GET", "/v1/client/customer", TOKEN, null);

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("user_id").asText()).isEqualTo("alice");
    }

    @Test
    void shouldRefuseAnotherUsersProfileOrEvents() {
        assertError(client("GET", "/v1/client/customer?user_id=bob", TOKEN, null), 403, "user_mismatch");
        assertError(client("POST", "/v1/client/events", TOKEN,
                "{\"user_id\":\"bob\",\"event\":\"page.viewed\",\"transaction_id\":\"c-1\"}"), 403, "user_mismatch");
        assertThat(api.gateway.submitted).noneMatch(i -> i.userId().equals("bob"));
    }

    @Test
    void shouldTakeEventsForTheTokensUserThroughTheIngestPath() {
        TestApi.Answer a = client("POST", "/v1/client/events", TOKEN,
                "{\"event\":\"page.viewed\",\"transaction_id\":\"c-2\"}");

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        SdkContract.assertIngestResult(a.json());
        Input submitted = api.gateway.submitted.stream().filter(i -> i.transactionId().orElse("").equals("c-2"))
                .findFirst().orElseThrow();
        assertThat(submitted.userId()).isEqualTo("alice");
        TestApi.Answer retry = client("POST", "/v1/client/events", TOKEN,
                "{\"user_id\":\"alice\",\"event\":\"page.viewed\",\"transaction_id\":\"c-2\"}");
        assertThat(retry.json().path("duplicate").asBoolean()).isTrue();
    }

    @Test
    void shouldValidateLikeTheServerRouteAndRefuseEventsThePolicyDoesNotAllow() {
        assertError(client("POST", "/v1/client/events", TOKEN, "{\"event\":\"Bad\",\"transaction_id\":\"c-3\"}"),
                400, "invalid_event");
        TestApi.Answer refused = client("POST", "/v1/client/events", PAGE_VIEWS,
                "{\"event\":\"purchase.completed\",\"transaction_id\":\"c-4\"}");
        assertError(refused, 403, "event_not_allowed");
        assertThat(refused.json().path("event").asText()).isEqualTo("purchase.completed");
        assertThat(client("POST", "/v1/client/events", PAGE_VIEWS,
                "{\"event\":\"page.viewed\",\"transaction_id\":\"c-5\"}").status()).isEqualTo(200);
        assertError(client("POST", "/v1/client/events", READ_ONLY, "{\"event\":\"page.viewed\",\"transaction_id\":\"c-6\"}"),
                403, "insufficient_scope");
    }

    @Test
    void shouldRefuseApiKeysOnClientRoutesAndTokensOnServerRoutes() {
        assertError(api.sdkGet(TestApi.KEY, "/v1/client/customer"), 403, "forbidden");
        assertError(api.sdkGet(TestApi.BROWSER_KEY, "/v1/client/customer"), 403, "forbidden");
        assertError(client("POST", "/v1/events", TOKEN, "{\"user_id\":\"alice\",\"event\":\"a.b\",\"transaction_id\":\"x\"}"),
                403, "forbidden");
        assertError(client("GET", "/v1/customer/alice", TOKEN, null), 403, "forbidden");
    }

    @Test
    void shouldAskForABearerToken() {
        TestApi.Answer a = client("GET", "/v1/client/customer", null, null);

        assertError(a, 401, "missing_token");
        assertThat(a.header("www-authenticate")).isEqualTo("Bearer");
        assertError(client("GET", "/v1/client/customer", "not-a-known-token", null), 401, "unknown_kid");
        assertError(client("GET", "/v1/client/customer?token=" + TOKEN, null, null), 401, "missing_token");
    }

    @Test
    void shouldSendCorsHeadersOnlyToAnOriginTheTokensKeyAllows() {
        TestApi.Answer allowed = client("GET", "/v1/client/customer", TOKEN, null, "origin", "http://localhost:3000");
        assertThat(allowed.header("access-control-allow-origin")).isEqualTo("http://localhost:3000");
        assertThat(allowed.header("access-control-expose-headers")).contains("x-perkamo-request-id", "retry-after");
        assertThat(allowed.header("vary")).contains("Origin");

        TestApi.Answer other = client("GET", "/v1/client/customer", TOKEN, null, "origin", "https://evil.example");
        assertError(other, 403, "origin_not_allowed");
        assertThat(other.header("access-control-allow-origin")).isNull();

        TestApi.Answer noOrigin = client("GET", "/v1/client/customer", TOKEN, null);
        assertThat(noOrigin.status()).isEqualTo(200);
        assertThat(noOrigin.header("access-control-allow-origin")).isNull();
    }

    @Test
    void shouldLetAnAllowedPageReadA401SoItCanFetchAFreshToken() {
        TestApi.Answer a = client("GET", "/v1/client/customer", "expired-or-unknown", null, "origin", "http://localhost:3000");

        assertThat(a.status()).isEqualTo(401);
        assertThat(a.header("access-control-allow-origin")).isEqualTo("http://localhost:3000");
        assertThat(client("GET", "/v1/client/customer", "expired-or-unknown", null, "origin", "https://evil.example")
                .header("access-control-allow-origin")).isNull();
    }

    @Test
    void shouldAnswerPreflightsForOriginsSomeKeyAllows() {
        TestApi.Answer ok = api.send("OPTIONS", "/v1/client/events", null, Map.of("origin", "http://localhost:3000",
                "access-control-request-method", "POST", "access-control-request-headers", "authorization,content-type"));
        assertThat(ok.status()).isEqualTo(204);
        assertThat(ok.header("access-control-allow-origin")).isEqualTo("http://localhost:3000");
        assertThat(ok.header("access-control-allow-methods")).contains("POST");
        assertThat(ok.header("access-control-allow-headers")).contains("authorization", "content-type");
        assertThat(ok.header("access-control-allow-credentials")).isNull();

        TestApi.Answer refused = api.send("OPTIONS", "/v1/client/events", null, Map.of("origin", "https://evil.example",
                "access-control-request-method", "POST"));
        assertThat(refused.status()).isEqualTo(204);
        assertThat(refused.header("access-control-allow-origin")).isNull();
    }

    @Test
    void shouldValidateATokenRequest() {
        String user = "\"user_id\":\"alice\"";
        assertError(api.sdkPost(TestApi.KEY, "/v1/browser-tokens", "{" + user + "}"), 400, "invalid_browser_key");
        assertError(api.sdkPost(TestApi.KEY, "/v1/browser-tokens", "{\"browser_key\":\"sk_test_x\"," + user + "}"), 400,
                "invalid_browser_key");
        assertError(api.sdkPost(TestApi.KEY, "/v1/browser-tokens", "{\"browser_key\":\"pk_test_x\"}"), 400,
                "invalid_user_id");
        assertError(api.sdkPost(TestApi.KEY, "/v1/browser-tokens", "{\"browser_key\":\"pk_test_x\",\"user_id\":\""
                + "x".repeat(257) + "\"}"), 400, "invalid_user_id");
        for (String ttl : new String[] {"0", "1801", "\"600\"", "60.5"}) {
            assertError(api.sdkPost(TestApi.KEY, "/v1/browser-tokens", "{\"browser_key\":\"pk_test_x\"," + user
                    + ",\"ttl_seconds\":" + ttl + "}"), 400, "invalid_ttl");
        }
        assertError(api.sdkPost(TestApi.KEY, "/v1/browser-tokens", "{\"browser_key\":\"pk_test_x\"," + user
                + ",\"purpose\":\"admin\"}"), 400, "invalid_purpose");
        assertError(api.sdkPost(TestApi.KEY, "/v1/browser-tokens", "{\"browser_key\":\"pk_test_x\"," + user
                + ",\"space\":\"other\"}"), 403, "tenant_mismatch");
        assertError(api.sdkPost(TestApi.BROWSER_KEY, "/v1/browser-tokens", "{\"browser_key\":\"pk_test_x\"," + user + "}"),
                403, "forbidden");
    }
}
