package io.perkamo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.topics.Topics;
import io.perkamo.testing.ApiClient;
import io.perkamo.testing.Eventually;
import io.perkamo.testing.RunningNode;
import io.perkamo.testing.TestKafka;

/**
 * Redemptions through a whole instance on a real broker over real HTTP: concurrent redemptions
 * against one balance (the per-user order of the stream is the lock), retries and level checks.
 */
class RedemptionsIT {
    private static final String PROGRAM = """
            wallets:
              - {key: points, name: Points}
              - {key: xp, name: Experience}
            levels:
              wallet: xp
              basis: earned
              thresholds:
                - {level: 1, name: Bronze, at: 0}
                - {level: 2, name: Silver, at: 100}
            rules:
              - {key: grant, event: points.granted, label: Grant, award: [{wallet: points, amount: "{{amount}}"}]}
            rewards:
              - {key: snack, name: Snack, cost: {wallet: points, amount: 30}}
              - {key: lounge, name: Lounge access, cost: {wallet: points, amount: 10}, min_level: 2}
            """;

    @RegisterExtension
    static final RunningNode node = RunningNode.builder().space("redeem", 3).programYaml(PROGRAM).build();

    @BeforeAll
    static void awaitTheProgram() throws Exception {
        awaitProgramInForce();
    }

    @Test
    void shouldRedeemExactly33Of100ConcurrentRedemptionsAgainst1000Points() throws Exception {
        // given
        String user = "buyer-1";
        JsonNode granted = grant(user, "grant-1", 1000);
        assertThat(granted.path("wallet_state").path("points").asLong()).isEqualTo(1000);

        // when: 100 redemptions of a 30-point reward at once, each with its own transaction_id
        List<JsonNode> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String body = redemption(user, "snack", "buy-" + i);
                calls.add(CompletableFuture.supplyAsync(() -> postRetrying("/v1/rewards/redeem", body), pool));
            }
            for (CompletableFuture<JsonNode> call : calls) {
                results.add(call.join());
            }
        } finally {
            pool.shutdownNow();
        }

        // then
        List<JsonNode> redeemed = results.stream().filter(r -> r.path("status").asText().equals("redeemed")).toList();
        List<JsonNode> rejected = results.stream().filter(r -> r.path("status").asText().equals("rejected")).toList();
        assertThat(redeemed).hasSize(33).allSatisfy(r -> {
            assertThat(r.path("applied").asBoolean()).isTrue();
            assertThat(r.path("duplicate").asBoolean()).isFalse();
            assertThat(r.path("delta").get(0).path("amount").asLong()).isEqualTo(-30);
        });
        assertThat(rejected).hasSize(67).allSatisfy(r -> {
            assertThat(r.path("applied").asBoolean()).isFalse();
            assertThat(r.path("reason").asText()).isEqualTo("insufficient_balance");
            assertThat(r.path("delta")).isEmpty();
        });
        assertThat(results).allSatisfy(r -> assertThat(r.path("wallet_state").path("points").asLong()).isNotNegative());

        JsonNode profile = get("/v1/customer/" + user);
        assertThat(profile.path("wallets").path("points").asLong()).isEqualTo(10);
        assertThat(profile.path("redemptions")).hasSize(1);
        assertThat(profile.path("redemptions").get(0).path("reward").asText()).isEqualTo("snack");
        assertThat(profile.path("redemptions").get(0).path("count").asLong()).isEqualTo(33);
        assertThat(profile.path("redemptions").get(0).path("last_at").isTextual()).isTrue();

        // the grant and 33 redemptions each emitted one state; rejections change nothing
        List<JsonNode> emitted = profileRecords(user, 34);
        assertThat(emitted).hasSize(34);
        assertThat(emitted).allSatisfy(p -> assertThat(p.path("wallets").path("points").asLong()).isNotNegative());
        assertThat(emitted.get(emitted.size() - 1).path("wallets").path("points").asLong()).isEqualTo(10);
    }

    @Test
    void shouldAnswerARetriedRedemptionAsADuplicateWithoutASecondDebit() throws Exception {
        String user = "buyer-2";
        grant(user, "grant-1", 100);
        String body = redemption(user, "snack", "buy-1");

        JsonNode first = post("/v1/rewards/redeem", body, 200);
        JsonNode retry = post("/v1/rewards/redeem", body, 200);

        assertThat(first.path("status").asText()).isEqualTo("redeemed");
        assertThat(retry.path("duplicate").asBoolean()).isTrue();
        assertThat(retry.path("applied").asBoolean()).isFalse();
        assertThat(retry.path("status").asText()).isEqualTo("redeemed");
        assertThat(retry.path("delta")).isEqualTo(first.path("delta"));
        assertThat(retry.path("wallet_state").path("points").asLong()).isEqualTo(70);
        assertThat(get("/v1/customer/" + user).path("wallets").path("points").asLong()).isEqualTo(70);
        post("/v1/rewards/redeem", redemption(user, "lounge", "buy-1"), 409);
    }

    @Test
    void shouldRejectARewardBelowItsMinimumLevelWithLevelRequired() throws Exception {
        String user = "newcomer";
        grant(user, "grant-1", 500);

        JsonNode r = post("/v1/rewards/redeem", redemption(user, "lounge", "lounge-1"), 200);

        assertThat(r.path("applied").asBoolean()).isFalse();
        assertThat(r.path("status").asText()).isEqualTo("rejected");
        assertThat(r.path("reason").asText()).isEqualTo("level_required");
        assertThat(r.path("wallet_state").path("points").asLong()).isEqualTo(500);
    }

    // --- helpers

    private static String redemption(String user, String reward, String tx) {
        return "{\"user_id\":\"" + user + "\",\"reward\":\"" + reward + "\",\"transaction_id\":\"" + tx + "\"}";
    }

    private static JsonNode grant(String user, String tx, long amount) throws Exception {
        return post("/v1/events", "{\"user_id\":\"" + user + "\",\"event\":\"points.granted\",\"transaction_id\":\""
                + tx + "\",\"context\":{\"amount\":" + amount + "}}", 200);
    }

    /**
     * Inputs folded before the processor sees the new program would earn nothing: probe with a
     * throwaway user until an answer names program version 1 (the key may also need a moment).
     */
    private static void awaitProgramInForce() throws Exception {
        AtomicInteger probe = new AtomicInteger();
        Eventually.await(Duration.ofSeconds(60), () -> {
            HttpResponse<String> r = node.api().post("/v1/events", "{\"user_id\":\"probe\",\"event\":\"points.granted\","
                    + "\"transaction_id\":\"probe-" + probe.getAndIncrement() + "\",\"context\":{\"amount\":1}}");
            return r.statusCode() == 200 && ApiClient.json(r).path("program_version").asLong() >= 1;
        }, "the program in force");
    }

    /** A client that follows the SPEC: on 503 it retries with the same transaction_id. */
    private static JsonNode postRetrying(String path, String body) {
        try {
            for (int attempt = 0; attempt < 10; attempt++) {
                HttpResponse<String> r = node.api().post(path, body);
                if (r.statusCode() != 503) {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    return ApiClient.json(r);
                }
            }
            throw new AssertionError("still 503 after 10 attempts: " + body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode post(String path, String body, int status) throws Exception {
        return node.api().post(path, body, status);
    }

    private static JsonNode get(String path) throws Exception {
        return node.api().get(path, 200);
    }

    /** Every committed profile record of the user, in order, until the expected version shows up (or 60 s). */
    private static List<JsonNode> profileRecords(String user, long lastVersion) throws Exception {
        List<JsonNode> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = TestKafka.committedConsumer(new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.PROFILES.name(node.space())));
            Eventually.holdsWithin(Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (user.equals(r.key())) {
                        records.add(ApiClient.json(r.value()));
                    }
                }
                return !records.isEmpty() && records.get(records.size() - 1).path("version").asLong() >= lastVersion;
            });
        }
        return records;
    }
}
