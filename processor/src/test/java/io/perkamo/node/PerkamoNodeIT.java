package io.perkamo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.MasterKey;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.control.DemoSpace;
import io.perkamo.topics.Topics;
import io.perkamo.stream.PerkamoStreams;
import io.perkamo.testing.TestKafka;
import io.perkamo.topics.OutputFormat;

/** The whole instance on a real broker, through real HTTP and real producers. */
class PerkamoNodeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static PerkamoNode node;
    private static String space;
    private static String serverKey;

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        Path state = Files.createTempDirectory("perkamo-node-it");
        MasterKey master = MasterKey.generate();
        node = PerkamoNode.start(new PerkamoNode.Settings(bootstrap, Optional.empty(), freePort(),
                "localhost", "perkamo-it-" + System.nanoTime(), state, 1, OutputFormat.JSON,
                Duration.ofDays(30), Duration.ofSeconds(15), master, Map.of()));
        space = TestKafka.uniqueSlug("node");
        new SpaceAdmin(node.control()).create(space, "test", Optional.empty(), 3);
        serverKey = new ApiKeys(node.control()).create(space, ApiKeyRecord.Kind.SERVER, Set.of()).plaintext();
        new ProgramStore(node.control()).publish(space, DemoSpace.program(), java.time.Instant.EPOCH);
        node.awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void shouldAnswerAnIngestSynchronouslyAndReflectItInTheNextRead() throws Exception {
        String body = "{\"user_id\":\"account:acme:42\",\"event\":\"purchase.completed\",\"transaction_id\":\"order-1\","
                + "\"context\":{\"amount\":12900,\"currency\":\"CZK\"},\"occurred_at\":\"2026-06-01T10:00:00+00:00\"}";

        JsonNode first = post("/v1/events", body, 200);
        JsonNode retry = post("/v1/events", body.replace("10:00:00", "10:00:05"), 200);
        JsonNode profile = get("/v1/customer/" + URLEncoder.encode("account:acme:42", StandardCharsets.UTF_8), 200);

        assertThat(first.path("applied").asBoolean()).isTrue();
        assertThat(first.path("wallet_state").path("points").asLong()).isEqualTo(129);
        assertThat(retry.path("duplicate").asBoolean()).isTrue();
        assertThat(retry.path("delta")).isEqualTo(first.path("delta"));
        assertThat(profile.path("wallets").path("points").asLong()).isEqualTo(129);
        post("/v1/events", body.replace("12900", "1"), 409);
    }

    @Test
    void shouldAnswerEveryItemOfABatchWithItsOwnDecision() throws Exception {
        String body = "{\"events\":[{\"user_id\":\"batch-1\",\"event\":\"user.registered\",\"transaction_id\":\"b1\"},"
                + "{\"user_id\":\"batch-2\",\"event\":\"lesson.finished\",\"transaction_id\":\"b2\"},"
                + "{\"user_id\":\"batch-1\",\"event\":\"lesson.finished\",\"transaction_id\":\"b3\"}]}";

        JsonNode results = post("/v1/events:batch", body, 200).path("results");

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
                    producer.send(new ProducerRecord<>(Topics.EVENTS.name(space), user,
                            "{\"user_id\":\"" + user + "\",\"event\":\"lesson.finished\",\"transaction_id\":\"l" + i + "\"}"));
                }
            }
        }

        Map<String, JsonNode> last = lastProfiles(space, u -> u.startsWith("rr-"), users,
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

        JsonNode result = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/events"))
                    .header("x-perkamo-api-key", key).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"user_id\":\"u1\",\"event\":\"user.registered\",\"transaction_id\":\"r1\"}")));
            if (response.statusCode() == 200) {
                result = JSON.readTree(response.body());
                break;
            }
            assertThat(response.statusCode()).isEqualTo(503);
        }
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

    private static Map<String, JsonNode> lastProfiles(String slug, java.util.function.Predicate<String> users,
                                                      int expected, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        Map<String, JsonNode> last = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "group.id", "it-" + System.nanoTime(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.PROFILES.name(slug)));
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (users.test(r.key())) {
                        last.put(r.key(), JSON.readTree(r.value()));
                    }
                }
                if (last.size() >= expected && last.values().stream().allMatch(done)) {
                    break;
                }
            }
        }
        return last;
    }

    private static JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
                .header("x-perkamo-api-key", serverKey).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).header("x-perkamo-api-key", serverKey)
                .GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + node.apiPort() + path);
    }


    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
