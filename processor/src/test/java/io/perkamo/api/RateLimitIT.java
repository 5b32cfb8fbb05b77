package io.perkamo.api;

import static io.perkamo.api.SdkContract.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.perkamo.api.RateLimitConfig.Subject;

/**
 * Rate limits over HTTP, with the server's clock held still (no refill unless a test moves it):
 * the headers on every answer of a limited route, 429 with retry-after, one bucket per server
 * key, per browser key and per browser-token user, and the admin routes.
 */
class RateLimitIT {
    private static final String ALICE = "token-alice";
    private static final String BOB = "token-bob";
    private static final String CAROL = "token-carol";
    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi();
        for (String[] t : new String[][] {{ALICE, "alice"}, {BOB, "bob"}, {CAROL, "carol"}}) {
            api.access.callers.put(t[0], api.access.caller(TestApi.SPACE, t[1], Set.of("profile:read", "events:write"), "*"));
            api.profiles.put(TestApi.SPACE, t[1], ProfileQuery.Local.of(Json.object().put("user_id", t[1])));
        }
        api.profiles.put(TestApi.SPACE, "alice", ProfileQuery.Local.of(Json.object().put("user_id", "alice")));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private void limit(Subject subject, int perMinute) {
        api.rateLimits.update(TestApi.SPACE, Map.of(subject, OptionalInt.of(perMinute)));
    }

    private TestApi.Answer read(String key) {
        return api.sdkGet(key, "/v1/customer/alice");
    }

    private TestApi.Answer client(String token, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return api.send("GET", "/v1/client/customer", null, h);
    }

    private static void assertHeaders(TestApi.Answer a, int limit, int remaining, int reset) {
        assertThat(a.header("ratelimit-limit")).as("ratelimit-limit").isEqualTo(Integer.toString(limit));
        assertThat(a.header("ratelimit-remaining")).as("ratelimit-remaining").isEqualTo(Integer.toString(remaining));
        assertThat(a.header("ratelimit-reset")).as("ratelimit-reset").isEqualTo(Integer.toString(reset));
    }

    @Test
    void shouldSendTheDefaultLimitsHeadersOnEveryAnswerOfALimitedRoute() {
        TestApi.Answer first = read(TestApi.KEY);
        TestApi.Answer second = read(TestApi.KEY);
        TestApi.Answer refused = api.post(TestApi.KEY, "/v1/events", "{\"event\":\"Bad\"}");

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        // 600,000 a minute refill one per 100 µs: a spent request is back within the second
        assertHeaders(first, 600_000, 599_999, 1);
        assertHeaders(second, 600_000, 599_998, 1);
        assertThat(refused.status()).isEqualTo(400);
        assertHeaders(refused, 600_000, 599_997, 1);
        for (String h : new String[] {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"}) {
            assertThat(second.header(h)).as(h).matches("[0-9]+");
        }
        assertThat(second.header("retry-after")).isNull();
        assertThat(api.send("GET", "/health/live", null, Map.of()).header("ratelimit-limit")).isNull();
    }

    @Test
    void shouldAnswer429WithRetryAfterOnceAKeysMinuteIsSpentAndServeAgainAfterIt() {
        // given 3 requests a minute: one comes back every 20 s
        limit(Subject.SERVER_KEY, 3);
        assertHeaders(read(TestApi.KEY), 3, 2, 20);
        assertHeaders(read(TestApi.KEY), 3, 1, 40);
        assertHeaders(read(TestApi.KEY), 3, 0, 60);

        // when
        TestApi.Answer limited = read(TestApi.KEY);

        // then
        assertError(limited, 429, "rate_limited");
        assertThat(limited.header("retry-after")).isEqualTo("20");
        assertHeaders(limited, 3, 0, 60);
        assertThat(limited.json().path("retry_after").asLong()).isEqualTo(20);
        assertError(api.sdkPost(TestApi.KEY, "/v1/events", "{\"user_id\":\"alice\",\"event\":\"a.b\"}"), 429,
                "rate_limited");
        api.clock.set(TestApi.NOW.plusSeconds(19));
        assertError(read(TestApi.KEY), 429, "rate_limited");
        api.clock.set(TestApi.NOW.plusSeconds(20));
        TestApi.Answer again = read(TestApi.KEY);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertHeaders(again, 3, 0, 60);
    }

    @Test
    void shouldCountEachServerKeyOnItsOwn() {
        limit(Subject.SERVER_KEY, 2);
        read(TestApi.KEY);
        read(TestApi.KEY);
        assertError(read(TestApi.KEY), 429, "rate_limited");

        // another key of the same Space, and a key of another Space (at the defaults)
        TestApi.Answer sameSpace = read(TestApi.READ_ONLY_KEY);
        TestApi.Answer otherSpace = api.sdkGet(TestApi.OTHER_SPACE_KEY, "/v1/program");

        assertThat(sameSpace.status()).as(sameSpace.body()).isEqualTo(200);
        assertHeaders(sameSpace, 2, 1, 30);
        assertThat(otherSpace.status()).as(otherSpace.body()).isEqualTo(200);
        assertThat(otherSpace.header("ratelimit-limit")).isEqualTo("600000");
    }

    @Test
    void shouldCountEachBrowserTokenUserOnItsOwn() {
        limit(Subject.BROWSER_USER, 2);
        assertHeaders(client(ALICE), 2, 1, 30);
        assertHeaders(client(ALICE), 2, 0, 60);

        TestApi.Answer limited = client(ALICE, "origin", "http://localhost:3000");
        TestApi.Answer bob = client(BOB);

        assertError(limited, 429, "rate_limited");
        assertThat(limited.header("retry-after")).isEqualTo("30");
        // the page can read why and when: CORS exposes the headers
        assertThat(limited.header("access-control-allow-origin")).isEqualTo("http://localhost:3000");
        assertThat(limited.header("access-control-expose-headers")).contains("retry-after", "ratelimit-remaining");
        assertThat(bob.status()).as(bob.body()).isEqualTo(200);
        assertHeaders(bob, 2, 1, 30);
        // a server key is not slowed by browser users
        assertThat(read(TestApi.KEY).status()).isEqualTo(200);
    }

    @Test
    void shouldLimitABrowserKeyAcrossItsUsersAndTellTheTighterLimit() {
        limit(Subject.BROWSER_USER, 10);
        limit(Subject.BROWSER_KEY, 3);
        assertHeaders(client(ALICE), 3, 2, 20);
        assertHeaders(client(BOB), 3, 1, 40);
        assertHeaders(client(CAROL), 3, 0, 60);

        TestApi.Answer limited = client(ALICE);

        assertError(limited, 429, "rate_limited");
        assertHeaders(limited, 3, 0, 60);
        assertThat(limited.header("retry-after")).isEqualTo("20");
        // the refused request did not cost alice one of her own 10: with room on the key, she has 8 left
        limit(Subject.BROWSER_KEY, 1000);
        assertHeaders(client(ALICE), 10, 8, 12);
    }

    @Test
    void shouldShowAndChangeTheSpacesLimitsOverTheAdminApi() {
        TestApi.Answer shown = api.sdkGet(TestApi.KEY, "/v1/admin/rate-limits");
        assertThat(shown.status()).as(shown.body()).isEqualTo(200);
        assertThat(shown.json().path("limits").path("server_key").path("per_minute").asInt()).isEqualTo(600_000);
        assertThat(shown.json().path("limits").path("browser_user").path("default").asBoolean()).isTrue();

        TestApi.Answer set = api.sdkPost(TestApi.KEY, "/v1/admin/rate-limits", "{\"browser_user\":120}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("limits").path("browser_user").path("per_minute").asInt()).isEqualTo(120);
        assertThat(set.json().path("limits").path("browser_user").path("default").asBoolean()).isFalse();
        assertHeaders(client(ALICE), 120, 119, 1);

        TestApi.Answer back = api.sdkPost(TestApi.KEY, "/v1/admin/rate-limits", "{\"browser_user\":null}");
        assertThat(back.json().path("limits").path("browser_user").path("per_minute").asInt()).isEqualTo(300);
        assertError(api.sdkPost(TestApi.KEY, "/v1/admin/rate-limits", "{\"browser_user\":0}"), 400, "invalid_rate_limit");
        assertError(api.sdkPost(TestApi.KEY, "/v1/admin/rate-limits", "{\"everyone\":5}"), 400, "invalid_request");
        assertError(api.sdkGet(TestApi.READ_ONLY_KEY, "/v1/admin/rate-limits"), 403, "insufficient_scope");
    }

}
