package io.perkamo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.local.DemoSpace;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.topics.Topics;
import io.perkamo.testing.ApiClient;
import io.perkamo.testing.Eventually;
import io.perkamo.testing.RunningNode;
import io.perkamo.testing.TestKafka;

/** The whole instance on a real broker, through real HTTP and real producers. */
class PerkamoNodeIT {
    @RegisterExtension
    static final RunningNode node = RunningNode.builder().space("node", 3).program(DemoSpace.program()).build();

    @Test
    void shouldAnswerAnIngestSynchronouslyAndReflectItInTheNextRead() throws Exception {
        String body = "{\"user_id\":\"account:acme:42\",\"event\":\"purchase.completed\",\"transaction_id\":\"order-1\","
                + "\"context\":{\"amount\":12900,\"currency\":\"CZK\"},\"occurred_at\":\"2026-06-01T10:00:00+00:00\"}";

        JsonNode first = node.api().post("/v1/events", body, 200);
        JsonNode retry = node.api().post("/v1/events", body.replace("10:00:00", "10:00:05"), 200);
        JsonNode profile = node.api().get("/v1/customer/" + URLEncoder.encode("account:acme:42", StandardCharsets.UTF_8),
                200);

        assertThat(first.path("applied").asBoolean()).isTrue();
        assertThat(first.path("wallet_state").path("points").asLong()).isEqualTo(129);
        assertThat(retry.path("duplicate").asBoolean()).isTrue();
        assertThat(retry.path("delta")).isEqualTo(first.path("delta"));
        assertThat(profile.path("wallets").path("points").asLong()).isEqualTo(129);
        node.api().post("/v1/events", body.replace("12900", "1"), 409);
    }

    @Test
    void shouldAnswerEveryItemOfABatchWithItsOwnDecision() throws Exception {
        String body = "{\"events\":[{\"user_id\":\"batch-1\",\"event\":\"user.registered\",\"transaction_id\":\"b1\"},"
                + "{\"user_id\":\"batch-2\",\"event\":\"lesson.finished\",\"transaction_id\":\"b2\"},"
                + "{\"user_id\":\"batch-1\",\"event\":\"lesson.finished\",\"transaction_id\":\"b3\"}]}";

        JsonNode results = node.api().post("/v1/events:batch", body, 200).path("results");

        assertThat(results).hasSize(3);
        assertThat(results).allSatisfy(r -> assertThat(r.path("applied").asBoolean()).as(r.toString()).isTrue());
        assertThat(results.get(0).path("transaction_id").asText()).isEqualTo("b1");
        assertThat(results.get(0).path("wallet_state").path("points").asLong()).isEqualTo(50);
        assertThat(results.get(1).path("wallet_state").path("xp").asLong()).isEqualTo(20);
        assertThat(results.get(2).path("transaction_id").asText()).isEqualTo("b3");
    }

    @Test
    void shouldFoldEachUserInOnePlaceWhateverPartitionTheProducerChose() throws Exception {
        int users = 20;
        int perUser = 5;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        config.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, RoundRobin.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < perUser; i++) {
                for (int u = 0; u < users; u++) {
                    String user = "rr-" + u;
                    producer.send(new ProducerRecord<>(Topics.EVENTS.name(node.space()), user,
                            "{\"user_id\":\"" + user + "\",\"event\":\"lesson.finished\",\"transaction_id\":\"l" + i + "\"}"));
                }
            }
        }

        Map<String, JsonNode> last = lastProfiles(node.space(), u -> u.startsWith("rr-"), users,
                p -> p.path("version").asLong() == perUser);
        assertThat(last).hasSize(users);
        assertThat(last.values()).allSatisfy(p -> {
            assertThat(p.path("wallets").path("xp").asLong()).isEqualTo(20L * perUser);
            assertThat(p.path("version").asLong()).isEqualTo(perUser);
        });
    }

    @Test
    void shouldPickUpASpaceCreatedWhileRunning() throws Exception {
        String late = TestKafka.uniqueSlug("late");
        new SpaceAdmin(node.control()).create(late, "test", Optional.empty(), 2);
        String key = new ApiKeys(node.control()).create(late, ApiKeyRecord.Kind.SERVER, Set.of()).plaintext();

        // 503 until the instance processes the new Space; any other status fails at once
        JsonNode result = Eventually.untilPresent(Duration.ofSeconds(60), () -> {
            HttpResponse<String> response = node.api().withKey(key).post("/v1/events",
                    "{\"user_id\":\"u1\",\"event\":\"user.registered\",\"transaction_id\":\"r1\"}");
            if (response.statusCode() == 200) {
                return Optional.of(ApiClient.json(response));
            }
            assertThat(response.statusCode()).isEqualTo(503);
            return Optional.<JsonNode>empty();
        }).orElse(null);
        assertThat(result).isNotNull();
        assertThat(result.path("applied").asBoolean() || result.path("duplicate").asBoolean()).isTrue();
    }

    /** Spreads records over partitions regardless of key, as no Java default would. */
    public static final class RoundRobin implements Partitioner {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            return Math.floorMod(next.getAndIncrement(), cluster.partitionCountForTopic(topic));
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    // --- helpers

    /** The last profile of each matching user, once there are {@code expected} and all are done (or after 60 s). */
    private static Map<String, JsonNode> lastProfiles(String slug, java.util.function.Predicate<String> users,
                                                      int expected, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        Map<String, JsonNode> last = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = TestKafka.committedConsumer(new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.PROFILES.name(slug)));
            Eventually.holdsWithin(Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (users.test(r.key())) {
                        last.put(r.key(), ApiClient.json(r.value()));
                    }
                }
                return last.size() >= expected && last.values().stream().allMatch(done);
            });
        }
        return last;
    }
}
