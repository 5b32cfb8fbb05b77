package io.perkamo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.MasterKey;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.topics.Topics;
import io.perkamo.stream.PerkamoStreams;
import io.perkamo.testing.TestKafka;
import io.perkamo.topics.OutputFormat;

/**
 * Redemptions through a whole instance on a real broker over real HTTP: concurrent redemptions
 * against one balance (the per-user order of the stream is the lock), retries and level checks.
 */
class RedemptionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
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

    private static PerkamoNode node;
    private static String space;
    private static String serverKey;

    @BeforeAll
    static void start() throws Exception {
        Path state = Files.createTempDirectory("perkamo-redemptions-it");
        node = PerkamoNode.start(new PerkamoNode.Settings(TestKafka.bootstrapServers(), Optional.empty(), freePort(),
                "localhost", "perkamo-redeem-it-" + System.nanoTime(), state, 1, OutputFormat.JSON,
                Duration.ofDays(30), Duration.ofSeconds(15), MasterKey.generate(), Map.of()));
        space = TestKafka.uniqueSlug("redeem");
        new SpaceAdmin(node.control()).create(space, "test", Optional.empty(), 3);
        serverKey = new ApiKeys(node.control()).create(space, ApiKeyRecord.Kind.SERVER, Set.of()).plaintext();
        new ProgramStore(node.control()).publish(space, (ObjectNode) new YAMLMapper().readTree(PROGRAM), Instant.EPOCH);
        node.awaitReady(Duration.ofSeconds(60));
        awaitProgramInForce();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
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
        long deadline = System.currentTimeMillis() + 60_000;
        for (int i = 0; System.currentTimeMillis() < deadline; i++) {
            HttpResponse<String> r = send(request("/v1/events").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"user_id\":\"probe\",\"event\":\"points.granted\",\"transaction_id\":\"probe-" + i
                            + "\",\"context\":{\"amount\":1}}")));
            if (r.statusCode() == 200 && JSON.readTree(r.body()).path("program_version").asLong() >= 1) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the program never came into force");
    }

    /** A client that follows the SPEC: on 503 it retries with the same transaction_id. */
    private static JsonNode postRetrying(String path, String body) {
        try {
            for (int attempt = 0; attempt < 10; attempt++) {
                HttpResponse<String> r = send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
                if (r.statusCode() != 503) {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    return JSON.readTree(r.body());
                }
            }
            throw new AssertionError("still 503 after 10 attempts: " + body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> r = send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send(request(path).GET());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + node.apiPort() + path))
                .header("x-perkamo-api-key", serverKey).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(60));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every committed profile record of the user, in order, until the expected version shows up. */
    private static List<JsonNode> profileRecords(String user, long lastVersion) throws Exception {
        List<JsonNode> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "group.id", "it-" + System.nanoTime(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.PROFILES.name(space)));
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (user.equals(r.key())) {
                        records.add(JSON.readTree(r.value()));
                    }
                }
                if (!records.isEmpty() && records.get(records.size() - 1).path("version").asLong() >= lastVersion) {
                    break;
                }
            }
        }
        return records;
    }

    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
