package io.perkamo.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.local.EmbeddedKafkaBroker;
import io.perkamo.schemas.Json;
import io.perkamo.testing.ApiClient;
import io.perkamo.testing.ChildJvm;
import io.perkamo.testing.Eventually;
import io.perkamo.testing.TestKafka;
import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.Topics;

/**
 * The usage meters are exact across a crash: a known mix of inputs over HTTP and Kafka reaches a
 * whole {@code perkamo run} in a child JVM, which is SIGKILLed while inputs are still coming in and
 * restarted on the same state; afterwards every counter of the day is exactly what the mix makes.
 */
class UsageCrashIT {
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

    @Test
    void shouldCountEveryInputExactlyOnceAcrossAKill() throws Exception {
        // given a Space with a program and a server key, served by a perkamo run in a child JVM
        String bootstrap = TestKafka.bootstrapServers();
        String slug = TestKafka.uniqueSlug("usage-crash");
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        String masterBase64 = Base64.getEncoder().encodeToString(secret);
        MasterKey master = MasterKey.fromBase64(masterBase64);
        String key;
        try (ControlPlane cp = ControlPlane.start(bootstrap, master)) {
            new SpaceAdmin(cp).create(slug, "test", Optional.empty(), 3);
            key = new ApiKeys(cp).create(slug, ApiKeyRecord.Kind.SERVER, Set.of()).plaintext();
            new ProgramStore(cp).publish(slug, (ObjectNode) new YAMLMapper().readTree(PROGRAM), java.time.Instant.EPOCH);
        }
        Path work = Files.createTempDirectory("usage-crash");
        int port = EmbeddedKafkaBroker.freePort();
        List<String> args = List.of("run", "--bootstrap-servers", bootstrap, "--port", Integer.toString(port),
                "--application-id", slug, "--state-dir", work.resolve("state").toString());
        Map<String, String> env = Map.of(MasterKey.ENV, masterBase64, "PERKAMO_HOME", work.resolve("home").toString());
        Path log = Path.of("target", "usage-crash", slug + ".log");
        ApiClient api = ApiClient.of("http://localhost:" + port, key);
        ChildJvm node = ChildJvm.start("node", List.of("-Xmx512m"), "io.perkamo.cli.PerkamoCli", args, env, log);
        try {
            node.awaitLine("Perkamo is ready", Duration.ofMinutes(3));

            // when: over HTTP, 3 applied, a retry, a conflict, an invalid input, a redemption and two refused ones
            post(api, "/v1/events", grant("u1", "t1", 100), 200);
            post(api, "/v1/events", grant("u2", "t2", 50), 200);
            post(api, "/v1/events", grant("u1", "t3", 5), 200);
            post(api, "/v1/events", grant("u1", "t1", 100), 200);
            post(api, "/v1/events", grant("u1", "t1", 7), 409);
            post(api, "/v1/events", "{\"event\":\"points.granted\"}", 400);
            post(api, "/v1/rewards/redeem", redemption("u1", "snack", "r1"), 200);
            post(api, "/v1/rewards/redeem", redemption("u2", "lounge", "r2"), 200);
            post(api, "/v1/rewards/redeem", redemption("u3", "snack", "r3"), 200);
            // and on Kafka 4 events and 2 malformed records, then the kill while they are being counted
            produce(bootstrap, slug, List.of("u4", "u5", "u6", "u7"), 2, "k1");
            node.kill();
            // more arrive while the node is down: 2 events (one from a known user) and a malformed record
            produce(bootstrap, slug, List.of("u4", "u8"), 1, "k2");
            node = ChildJvm.start("node", List.of("-Xmx512m"), "io.perkamo.cli.PerkamoCli", args, env, log);
            node.awaitLine("Perkamo is ready", Duration.ofMinutes(3));

            // then the day's counters are exactly those of the mix
            JsonNode day = Eventually.eventually(Duration.ofMinutes(2), () -> {
                JsonNode d = today(api, slug);
                assertThat(d.path("inputs").asLong()).isGreaterThanOrEqualTo(17);
                assertThat(d.path("active_customers").asLong()).isGreaterThanOrEqualTo(7);
                return d;
            });
            assertThat(day.path("inputs").asLong()).isEqualTo(17);
            assertThat(day.path("inputs_api").asLong()).as("the invalid request never reached Kafka").isEqualTo(8);
            assertThat(day.path("inputs_kafka").asLong()).isEqualTo(9);
            assertThat(day.path("applied").asLong()).isEqualTo(9);
            assertThat(day.path("duplicates").asLong()).isEqualTo(1);
            assertThat(day.path("conflicts").asLong()).isEqualTo(1);
            assertThat(day.path("rejected").asLong()).isZero();
            assertThat(day.path("dlq").asLong()).isEqualTo(3);
            assertThat(day.path("dlq_by_code").path("invalid_json").asLong()).isEqualTo(3);
            assertThat(day.path("redemptions").asLong()).isEqualTo(1);
            assertThat(day.path("redemptions_rejected").asLong()).isEqualTo(2);
            assertThat(day.path("redemptions_rejected_by_reason").path("insufficient_balance").asLong()).isEqualTo(1);
            assertThat(day.path("redemptions_rejected_by_reason").path("level_required").asLong()).isEqualTo(1);
            assertThat(day.path("active_customers").asLong()).isEqualTo(7);
            assertThat(day.path("webhook_deliveries").asLong()).isZero();
            assertThat(day.path("webhook_failures").asLong()).isZero();
            // and the published usage topic (what the CLI reads) holds the same day
            UsageCounts published = Eventually.eventually(Duration.ofMinutes(1), () -> {
                UsageCounts c = UsageLog.read(bootstrap, slug, todayUtc(), todayUtc()).get(0).counts();
                assertThat(c.inputs()).isEqualTo(17);
                return c;
            });
            assertThat(published.json().toString()).isEqualTo(stripDate(day).toString());
        } finally {
            node.kill();
        }
    }

    private static JsonNode today(ApiClient api, String slug) throws Exception {
        HttpResponse<String> r = api.get("/v1/usage");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Json.read(r.body()).orElseThrow();
        assertThat(body.path("space").asText()).isEqualTo(slug);
        assertThat(body.path("days").size()).isEqualTo(1);
        JsonNode day = body.path("days").get(0);
        assertThat(day.path("date").asText()).isEqualTo(todayUtc().toString());
        return day;
    }

    private static JsonNode stripDate(JsonNode day) {
        ObjectNode copy = day.deepCopy();
        copy.remove("date");
        return copy;
    }

    private static LocalDate todayUtc() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static void post(ApiClient api, String path, String body, int status) throws Exception {
        HttpResponse<String> r = Eventually.eventually(Duration.ofSeconds(30), () -> {
            HttpResponse<String> answer = api.post(path, body);
            assertThat(answer.statusCode()).as(answer.body()).isNotEqualTo(503);
            return answer;
        });
        assertThat(r.statusCode()).as(path + " " + body + " -> " + r.body()).isEqualTo(status);
    }

    private static String grant(String user, String tx, long amount) {
        return "{\"user_id\":\"" + user + "\",\"event\":\"points.granted\",\"transaction_id\":\"" + tx
                + "\",\"context\":{\"amount\":" + amount + "}}";
    }

    private static String redemption(String user, String reward, String tx) {
        return "{\"user_id\":\"" + user + "\",\"reward\":\"" + reward + "\",\"transaction_id\":\"" + tx + "\"}";
    }

    private static void produce(String bootstrap, String slug, List<String> users, int malformed, String batch) {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(
                KafkaClients.producerConfig(bootstrap, "usage-producer"), new StringSerializer(), new StringSerializer())) {
            for (String user : users) {
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(slug), user, grant(user, batch + "-" + user, 10)));
            }
            for (int i = 0; i < malformed; i++) {
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(slug), "bad-" + i, "{not json"));
            }
            producer.flush();
        }
    }
}
