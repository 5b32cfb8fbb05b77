package io.perkamo.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.control.WebhookEndpoint;
import io.perkamo.control.WebhookEndpoints;
import io.perkamo.testing.ApiClient;
import io.perkamo.testing.Eventually;
import io.perkamo.testing.RunningNode;

/**
 * Webhooks through a whole instance on the shared broker, to a real HTTP receiver on loopback:
 * what is delivered (and what is not), the payload and headers of SPEC section 5 verified with
 * the official Standard Webhooks library, retries, timeouts, redirects, 410 and resend. Every
 * test subscribes its own endpoints to its own event key, so they share one Space.
 */
class WebhooksIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PROGRAM = """
            wallets:
              - {key: points, name: Points}
            rules:
              - {key: earn, event: points.earned, label: Earn, award: [{wallet: points, amount: 100}]}
            rewards:
              - {key: coffee, name: Coffee, cost: {wallet: points, amount: 100}}
            """;
    /** Fast retries (4 attempts), a 2 s answer window: the behaviour of the default schedule, in seconds. */
    static final WebhookSettings FAST = WebhookSettings.DEFAULTS
            .withRetrySchedule(List.of(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300)))
            .withAttemptTimeout(Duration.ofSeconds(2));

    @RegisterExtension
    static final RunningNode node = RunningNode.builder().space("hooks", 3).programYaml(PROGRAM).webhooks(FAST)
            .build();
    private static TestReceiver receiver;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = TestReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void shouldDeliverAnAppliedEventOnceWithTheHeadersAndPayloadOfTheSpec() throws Exception {
        // given an endpoint for signed.happened
        receiver.on("/signed", TestReceiver.ok());
        WebhookEndpoints.Created endpoint = add("/signed", "signed.happened");

        // when an event is applied, retried (a duplicate), reused with another context (a conflict),
        // an invalid one is refused and another type is sent, then one more event of the type
        event("ann", "signed.happened", "sig-1", "{\"amount\": 5, \"note\": \"first\"}", 200);
        event("ann", "signed.happened", "sig-1", "{\"amount\": 5, \"note\": \"first\"}", 200);
        event("ann", "signed.happened", "sig-1", "{\"amount\": 6}", 409);
        event("ann", "Signed", "sig-2", "{}", 400);
        event("ann", "other.happened", "sig-3", "{}", 200);
        event("ann", "signed.happened", "sig-4", "{}", 200);

        // then exactly the two applied events are delivered, once each, in the delivery log too
        Eventually.await(WAIT, () -> succeeded(endpoint.endpoint().id()) == 2, "two deliveries succeeded");
        List<TestReceiver.Received> got = receiver.received("/signed");
        assertThat(got).hasSize(2);
        assertThat(deliveries(endpoint.endpoint().id())).hasSize(2);
        TestReceiver.Received first = got.stream()
                .filter(r -> ApiClient.json(r.body()).path("data").path("transaction_id").asText().equals("sig-1"))
                .findFirst().orElseThrow();
        assertThat(first.header("content-type")).startsWith("application/json");
        assertThat(first.header("user-agent")).isEqualTo("Perkamo-Webhook/1.0");
        assertThat(first.delivery()).matches("dlv_[0-9a-f]{24}");
        assertThat(first.header("x-perkamo-event")).isEqualTo("signed.happened");
        assertThat(first.header("x-perkamo-space")).isEqualTo(node.space());
        assertThat(first.attempt()).isEqualTo(1);
        JsonNode body = ApiClient.json(first.body());
        assertThat(first.header("webhook-id")).isEqualTo(body.path("id").asText()).startsWith("evt_");
        assertThat(first.header("webhook-signature")).startsWith("v1,");
        assertThat(body.path("type").asText()).isEqualTo("signed.happened");
        assertThat(body.path("created_at").asText()).isNotEmpty();
        JsonNode data = body.path("data");
        assertThat(data.path("space").path("slug").asText()).isEqualTo(node.space());
        assertThat(data.path("space").path("name").asText()).isEqualTo(node.space());
        assertThat(data.path("space").path("environment").asText()).isEqualTo("test");
        assertThat(data.path("user_id").asText()).isEqualTo("ann");
        assertThat(data.path("event").asText()).isEqualTo("signed.happened");
        assertThat(data.path("status").asText()).isEqualTo("applied");
        assertThat(data.path("occurred_at").asText()).isNotEmpty();
        assertThat(data.path("context").path("amount").asInt()).isEqualTo(5);
        assertThat(data.path("context").path("note").asText()).isEqualTo("first");
        assertThat(data.path("delta").isArray()).isTrue();
        assertThat(data.path("effects").isArray()).isTrue();
        assertThat(data.path("wallet_state").has("points")).isTrue();
        // and the official library verifies both with the endpoint's secret, not with another one
        assertThat(StandardWebhooksVerifier.verify(endpoint.secret(), got)).containsExactly("ok", "ok");
        assertThat(StandardWebhooksVerifier.verify(WebhookEndpoints.newSecret(), got))
                .allMatch(line -> line.startsWith("fail"));
    }

    @Test
    void shouldDeliverRedemptionsAsRewardRedeemedAndRewardRejected() throws Exception {
        // given an endpoint for redemptions and a user with 100 points
        receiver.on("/rewards", TestReceiver.ok());
        WebhookEndpoints.Created endpoint = add("/rewards", "reward.redeemed", "reward.rejected");
        event("bea", "points.earned", "rw-earn", "{}", 200);

        // when she redeems a coffee, tries again with a new transaction (too few points) and asks for
        // an unknown reward, and the first redemption is retried
        redeem("bea", "coffee", "rw-1", 200);
        redeem("bea", "coffee", "rw-2", 200);
        redeem("bea", "tea", "rw-3", 200);
        redeem("bea", "coffee", "rw-1", 200);

        // then three deliveries, typed by their status, with the reward and the reason
        Eventually.await(WAIT, () -> succeeded(endpoint.endpoint().id()) == 3, "three deliveries succeeded");
        List<JsonNode> bodies = receiver.received("/rewards").stream().map(r -> ApiClient.json(r.body())).toList();
        assertThat(bodies).hasSize(3);
        assertThat(bodies).extracting(b -> b.path("data").path("transaction_id").asText() + " "
                        + b.path("type").asText() + " " + b.path("data").path("reward").asText() + " "
                        + b.path("data").path("reason").asText(""))
                .containsExactlyInAnyOrder("rw-1 reward.redeemed coffee ", "rw-2 reward.rejected coffee insufficient_balance",
                        "rw-3 reward.rejected tea unknown_reward");
    }

    @Test
    void shouldRetryAFailingEndpointWithTheSameDeliveryIdUntilItSucceeds() throws Exception {
        // given an endpoint that answers 500 twice, then 204
        receiver.on("/flaky", TestReceiver.failing(2, 500));
        WebhookEndpoints.Created endpoint = add("/flaky", "flaky.happened");

        // when an event is applied
        event("cid", "flaky.happened", "flaky-1", "{}", 200);

        // then the third attempt succeeds: one delivery id, attempts counting up, each re-signed and valid
        Eventually.await(WAIT, () -> succeeded(endpoint.endpoint().id()) == 1, "the delivery succeeded");
        List<TestReceiver.Received> got = TestReceiver.sorted(receiver.received("/flaky"));
        assertThat(got).extracting(TestReceiver.Received::attempt).containsExactly(1, 2, 3);
        assertThat(got).extracting(TestReceiver.Received::delivery).containsOnly(got.get(0).delivery());
        assertThat(got).extracting(r -> r.header("webhook-id")).containsOnly(got.get(0).header("webhook-id"));
        assertThat(got).extracting(TestReceiver.Received::body).containsOnly(got.get(0).body());
        assertThat(StandardWebhooksVerifier.verify(endpoint.secret(), got)).containsOnly("ok");
        JsonNode delivery = deliveries(endpoint.endpoint().id()).get(0);
        assertThat(delivery.path("status").asText()).isEqualTo("succeeded");
        assertThat(delivery.path("attempt").asInt()).isEqualTo(3);
        assertThat(delivery.path("last_status_code").asInt()).isEqualTo(204);
        assertThat(delivery.has("last_duration_ms")).isTrue();
        assertThat(delivery.has("body")).isFalse();
    }

    @Test
    void shouldGiveUpAfterTheScheduleWhenAnEndpointHangsWhileAnotherEndpointGetsItsDeliveries() throws Exception {
        // given an endpoint that answers after 4 s (past the 2 s window) and a quick one, for the same type
        receiver.on("/hang", TestReceiver.hanging(4_000));
        AtomicInteger hangRequestsWhenQuickGotTheSecond = new AtomicInteger(-1);
        AtomicInteger quickCalls = new AtomicInteger();
        receiver.on("/quick", n -> {
            if (quickCalls.incrementAndGet() == 2) {
                hangRequestsWhenQuickGotTheSecond.set(receiver.received("/hang").size() + receiver.open("/hang"));
            }
            return new TestReceiver.Answer(200, java.util.Map.of());
        });
        WebhookEndpoints.Created hang = add("/hang", "slow.happened");
        WebhookEndpoints.Created quick = add("/quick", "slow.happened");

        // when one event is applied and, once the hanging endpoint holds its request, a second one
        event("dan", "slow.happened", "slow-1", "{}", 200);
        Eventually.await(WAIT, () -> receiver.open("/hang") > 0, "the hanging endpoint holds a request");
        event("dan", "slow.happened", "slow-2", "{}", 200);

        // then the quick endpoint got both while the first delivery to the hanging one was still being tried
        Eventually.await(WAIT, () -> succeeded(quick.endpoint().id()) == 2, "both quick deliveries succeeded");
        assertThat(hangRequestsWhenQuickGotTheSecond.get()).isBetween(1, FAST.maxAttempts() - 1);
        // and the hanging endpoint's deliveries failed after every attempt timed out
        Eventually.await(WAIT, () -> deliveries(hang.endpoint().id()).stream()
                .filter(d -> d.path("status").asText().equals("failed")).count() == 2, "both hanging deliveries failed");
        for (JsonNode d : deliveries(hang.endpoint().id())) {
            assertThat(d.path("attempt").asInt()).isEqualTo(FAST.maxAttempts());
            assertThat(d.path("last_error").asText()).startsWith("timeout");
            assertThat(d.has("last_status_code")).isFalse();
        }
    }

    @Test
    void shouldNotFollowARedirect() throws Exception {
        // given an endpoint that redirects to another path of the receiver
        receiver.on("/moved", TestReceiver.redirecting(receiver.url("/target")));
        receiver.on("/target", TestReceiver.ok());
        WebhookEndpoints.Created endpoint = add("/moved", "moved.happened");

        // when an event is applied
        event("eve", "moved.happened", "moved-1", "{}", 200);

        // then every attempt got the redirect, none followed it, and the delivery failed
        Eventually.await(WAIT, () -> deliveries(endpoint.endpoint().id()).stream()
                .anyMatch(d -> d.path("status").asText().equals("failed")), "the delivery failed");
        JsonNode d = deliveries(endpoint.endpoint().id()).get(0);
        assertThat(d.path("attempt").asInt()).isEqualTo(FAST.maxAttempts());
        assertThat(d.path("last_status_code").asInt()).isEqualTo(302);
        assertThat(d.path("last_error").asText()).contains("redirect not followed");
        assertThat(receiver.received("/moved")).hasSize(FAST.maxAttempts());
        assertThat(receiver.received("/target")).isEmpty();
    }

    @Test
    void shouldDisableAnEndpointThatAnswers410() throws Exception {
        // given an endpoint that answers 410 Gone, and another one for the same type
        receiver.on("/gone", TestReceiver.gone());
        receiver.on("/still-here", TestReceiver.ok());
        WebhookEndpoints.Created gone = add("/gone", "gone.happened");
        WebhookEndpoints.Created other = add("/still-here", "gone.happened");

        // when an event is applied
        event("fay", "gone.happened", "gone-1", "{}", 200);

        // then its delivery fails at once and the endpoint is disabled, with the reason
        Eventually.await(WAIT, () -> node.control().webhook(gone.endpoint().id()).map(e -> !e.enabled())
                .orElse(false), "the endpoint is disabled");
        WebhookEndpoint disabled = node.control().webhook(gone.endpoint().id()).orElseThrow();
        assertThat(disabled.disabledReason()).contains("answered HTTP 410 Gone");
        JsonNode d = deliveries(gone.endpoint().id()).get(0);
        assertThat(d.path("status").asText()).isEqualTo("failed");
        assertThat(d.path("attempt").asInt()).isEqualTo(1);
        assertThat(d.path("last_status_code").asInt()).isEqualTo(410);

        // and when another event is applied, only the other endpoint gets it
        event("fay", "gone.happened", "gone-2", "{}", 200);
        Eventually.await(WAIT, () -> succeeded(other.endpoint().id()) == 2, "the other endpoint got both");
        assertThat(deliveries(gone.endpoint().id())).hasSize(1);
        assertThat(receiver.received("/gone")).hasSize(1);
    }

    @Test
    void shouldResendAFinishedDeliveryWithItsDeliveryIdAndTheNextAttempt() throws Exception {
        // given a delivered event
        receiver.on("/again", TestReceiver.ok());
        WebhookEndpoints.Created endpoint = add("/again", "again.happened");
        event("gus", "again.happened", "again-1", "{}", 200);
        Eventually.await(WAIT, () -> succeeded(endpoint.endpoint().id()) == 1, "the delivery succeeded");
        String id = deliveries(endpoint.endpoint().id()).get(0).path("delivery_id").asText();

        // when it is resent over the admin API
        JsonNode answer = node.api().post("/v1/admin/webhooks/deliveries/" + id + "/resend", "{}", 202);

        // then the receiver gets it again: same delivery id and body, attempt 2, a valid signature
        assertThat(answer.path("delivery").path("status").asText()).isEqualTo("pending");
        Eventually.await(WAIT, () -> receiver.received("/again").size() == 2, "the resend arrived");
        List<TestReceiver.Received> got = TestReceiver.sorted(receiver.received("/again"));
        assertThat(got).extracting(TestReceiver.Received::delivery).containsOnly(id);
        assertThat(got).extracting(TestReceiver.Received::attempt).containsExactly(1, 2);
        assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
        assertThat(StandardWebhooksVerifier.verify(endpoint.secret(), got)).containsOnly("ok");
        Eventually.await(WAIT, () -> deliveries(endpoint.endpoint().id()).get(0).path("attempt").asInt() == 2
                && succeeded(endpoint.endpoint().id()) == 1, "the log shows the second attempt succeeded");
        // and an unknown delivery is 404
        HttpResponse<String> unknown = node.api().post("/v1/admin/webhooks/deliveries/dlv_nothing/resend", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ApiClient.json(unknown).path("code").asText()).isEqualTo("delivery_not_found");
    }

    // ---- helpers

    private static WebhookEndpoints.Created add(String path, String... events) {
        return new WebhookEndpoints(node.control()).create(node.space(), receiver.url(path), List.of(events));
    }

    private static void event(String user, String event, String tx, String context, int status) throws Exception {
        node.api().post("/v1/events", "{\"user_id\":\"" + user + "\",\"event\":\"" + event
                + "\",\"transaction_id\":\"" + tx + "\",\"context\":" + context + "}", status);
    }

    private static void redeem(String user, String reward, String tx, int status) throws Exception {
        node.api().post("/v1/rewards/redeem", "{\"user_id\":\"" + user + "\",\"reward\":\"" + reward
                + "\",\"transaction_id\":\"" + tx + "\"}", status);
    }

    static List<JsonNode> deliveries(String endpointId) throws Exception {
        JsonNode answer = node.api().get("/v1/admin/webhooks/deliveries?endpoint=" + endpointId, 200);
        java.util.ArrayList<JsonNode> list = new java.util.ArrayList<>();
        answer.path("deliveries").forEach(list::add);
        return list;
    }

    private static long succeeded(String endpointId) throws Exception {
        return deliveries(endpointId).stream().filter(d -> d.path("status").asText().equals("succeeded")).count();
    }
}
