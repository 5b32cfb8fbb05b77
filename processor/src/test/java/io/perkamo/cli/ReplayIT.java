package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.local.DemoSpace;
import io.perkamo.local.EmbeddedKafkaBroker;
import io.perkamo.schemas.Json;
import io.perkamo.testing.ChildJvm;
import io.perkamo.testing.Eventually;
import io.perkamo.testing.TestKafka;
import io.perkamo.topics.Partitioning;
import io.perkamo.topics.Topics;

/**
 * The "done means" for replay, on a real broker: a realistic history goes through the
 * live processor (a `perkamo run` process): retries, conflicting retries, records on the
 * wrong partition and without a key, malformed and mis-keyed records, late and back-dated
 * inputs, a program change in the middle, reversals, redemptions and a SIGKILL of the
 * processor while it works. Then `perkamo replay` finds no difference; a what-if of the live
 * program finds none either, and reads the same from an export as from the cluster; and a
 * corrupted profile record makes the audit exit 1 naming that user.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayIT {
    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    /** The second program version is in force from here (event time). */
    private static final Instant T_MID = T0.plus(Duration.ofHours(10));
    private static final int PARTITIONS = 3;
    private static final int USERS = 40;

    @TempDir
    static Path work;

    private static String bootstrap;
    private static String space;
    private static String applicationId;
    private static String masterKey;
    private static int apiPort;
    private static ChildJvm processor;
    private static int malformed;
    private static int misplaced;
    private static ObjectNode v2;

    @BeforeAll
    static void liveHistory() throws Exception {
        bootstrap = TestKafka.bootstrapServers();
        space = TestKafka.uniqueSlug("replay");
        applicationId = "replay-it-" + System.nanoTime();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        masterKey = Base64.getEncoder().encodeToString(key);
        apiPort = EmbeddedKafkaBroker.freePort();
        v2 = DemoSpace.program();
        // the change in the middle: purchases earn twice the points, lessons 30 xp
        ((ObjectNode) v2.get("rules").get(1).get("award").get(0)).put("amount", "{{amount}} / 50");
        ((ObjectNode) v2.get("rules").get(2).get("award").get(0)).put("amount", 30);
        try (ControlPlane cp = ControlPlane.start(bootstrap, MasterKey.fromBase64(masterKey))) {
            new SpaceAdmin(cp).create(space, "test", Optional.empty(), PARTITIONS);
            new ProgramStore(cp).publish(space, DemoSpace.program(), Instant.EPOCH);
        }
        processor = startProcessor();
        History history = new History(new SplittableRandom(7));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            history.produce(producer, 0, 900);
            try (ControlPlane cp = ControlPlane.start(bootstrap, MasterKey.fromBase64(masterKey))) {
                new ProgramStore(cp).publish(space, v2, T_MID);
            }
            history.produce(producer, 900, 1400);
            // a crash while it works: SIGKILL, then a restart on the same state
            processor.kill();
            history.produce(producer, 1400, 1800);
            processor = startProcessor();
            history.produce(producer, 1800, 2400);
        }
        malformed = history.malformed;
        misplaced = history.misplaced;
        awaitProcessed();
    }

    @AfterAll
    static void stop() {
        if (processor != null) {
            processor.close();
        }
    }

    @Test
    @Order(1)
    void shouldFindNoDifferenceBetweenTheReplayAndTheLiveProfilesAfterARealisticHistory() throws Exception {
        // when
        Path report = work.resolve("audit");
        CliRun run = CliRun.perkamo("replay", "--space", space, "--bootstrap-servers", bootstrap, "--application-id",
                applicationId, "--report", report.toString());

        // then
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains(", 0 differ");
        JsonNode summary = Json.MAPPER.readTree(report.resolve("summary.json").toFile());
        assertThat(summary.path("differing_users").asLong()).isZero();
        assertThat(summary.path("users").asLong()).isEqualTo(USERS);
        assertThat(summary.path("compared_users").asLong()).isEqualTo(USERS);
        assertThat(summary.path("dlq").asLong()).isEqualTo(malformed);
        assertThat(summary.path("moved").asLong()).isEqualTo(misplaced);
        assertThat(summary.path("program").path("live_versions")).hasSize(2);
        assertThat(summary.path("wallets").path("points").path("live").path("credited").asLong()).isPositive();
        assertThat(Files.readAllLines(report.resolve("users.csv")).get(0)).startsWith("user_id,live_points,replayed_points");
        assertThat(run.err()).contains("replayed ").contains("records/s");
    }

    @Test
    @Order(2)
    void shouldFindNoDifferenceInAWhatIfOfTheLiveProgramAndReadAnExportAsTheCluster() throws Exception {
        // given the live program as a draft, in force from where it is live, and exports of the events
        Path draft = work.resolve("v2.json");
        Files.writeString(draft, Json.MAPPER.writeValueAsString(v2));
        Path jsonl = work.resolve("events.jsonl");
        Path avro = work.resolve("events.avro");
        CliRun exportJson = CliRun.perkamo("export", "--space", space, "--bootstrap-servers", bootstrap, "--topic",
                "events", "--format", "jsonl", "--out", jsonl.toString());
        CliRun exportAvro = CliRun.perkamo("export", "--space", space, "--bootstrap-servers", bootstrap, "--topic",
                "events", "--format", "avro", "--out", avro.toString());
        assertThat(exportJson.exitCode()).as(exportJson.err()).isZero();
        assertThat(exportAvro.exitCode()).as(exportAvro.err()).isZero();

        // when the what-if runs on the cluster and on each export
        JsonNode cluster = whatIf("--space", space, "--bootstrap-servers", bootstrap);
        JsonNode fromJson = whatIf("--input", jsonl.toString());
        JsonNode fromAvro = whatIf("--input", avro.toString());

        // then the live program changes nothing, and the exports replay exactly as the cluster
        assertThat(cluster.path("differing_users").asLong()).isZero();
        assertThat(cluster.path("users").asLong()).isEqualTo(USERS);
        assertThat(cluster.path("redemptions").path("changed").asLong()).isZero();
        JsonNode points = cluster.path("wallets").path("points");
        assertThat(points.path("draft")).isEqualTo(points.path("live"));
        assertThat(points.path("live").path("credited").asLong()).isPositive();
        assertThat(withoutTimings(fromJson)).isEqualTo(withoutTimings(cluster));
        assertThat(withoutTimings(fromAvro)).isEqualTo(withoutTimings(cluster));
        // the JSON lines export: a header, then one line per record with what the router made of it
        List<String> lines = Files.readAllLines(jsonl);
        assertThat(lines.get(0)).startsWith("{\"perkamo_export\":");
        assertThat(lines.stream().filter(l -> l.contains("\"route\":\"refuse\""))).hasSize(malformed);
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(avro.toFile(), new GenericDatumReader<>())) {
            long n = 0;
            while (reader.hasNext()) {
                reader.next();
                n++;
            }
            assertThat(n).isEqualTo(lines.size() - 1);
        }
    }

    @Test
    @Order(3)
    void shouldExportOutcomesAndProfilesAsJsonLinesAndAvro() throws Exception {
        // when
        Path outcomes = work.resolve("outcomes.jsonl");
        Path profiles = work.resolve("profiles.avro");
        CliRun a = CliRun.perkamo("export", "--space", space, "--bootstrap-servers", bootstrap, "--topic", "outcomes",
                "--out", outcomes.toString());
        CliRun b = CliRun.perkamo("export", "--space", space, "--bootstrap-servers", bootstrap, "--topic", "profiles",
                "--format", "avro", "--out", profiles.toString());

        // then one outcome per folded input, each the contract's JSON; profiles readable as Avro
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        JsonNode audit = Json.MAPPER.readTree(work.resolve("audit").resolve("summary.json").toFile());
        List<String> lines = Files.readAllLines(outcomes);
        assertThat(lines).hasSize(audit.path("inputs").asInt());
        assertThat(Json.MAPPER.readTree(lines.get(0)).has("wallet_state")).isTrue();
        java.util.Set<String> users = new java.util.HashSet<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(profiles.toFile(), new GenericDatumReader<>())) {
            assertThat(reader.getSchema().getFullName()).isEqualTo("io.perkamo.schemas.avro.Profile");
            while (reader.hasNext()) {
                users.add(reader.next().get("user_id").toString());
            }
        }
        assertThat(users).hasSize(USERS);
        assertThat(a.err()).contains(String.format("exported %,d records", lines.size()));
    }

    @Test
    @Order(4)
    void shouldExitOneNamingTheUserWhoseProfileRecordWasCorrupted() throws Exception {
        // given one user's last profile record, rewritten with 1 more point
        String victim = "user-7";
        JsonNode last = lastProfile(victim);
        ObjectNode corrupted = last.deepCopy();
        ((ObjectNode) corrupted.get("wallets")).put("points", last.path("wallets").path("points").asLong() + 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.PROFILES.name(space), victim.getBytes(StandardCharsets.UTF_8),
                    Json.MAPPER.writeValueAsBytes(corrupted))).get(30, TimeUnit.SECONDS);
        }

        // when
        CliRun run = CliRun.perkamo("replay", "--space", space, "--bootstrap-servers", bootstrap, "--application-id",
                applicationId);

        // then
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains(", 1 differ").contains(victim + ": the profile differs");
    }

    // ---- the history

    /**
     * 2,400 records for 40 users: purchases, lessons, registrations, refunds of earlier purchases,
     * redemptions, identifies (with a decimal trait), 6% exact retries, 2% conflicting retries,
     * 5% on the wrong partition, 2% without a key, 2% malformed or mis-keyed; 5% dated two days
     * earlier (late), and after the program change 5% dated before it (back-dated).
     */
    private static final class History {
        final SplittableRandom random;
        final List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        final Map<Integer, List<String>> purchases = new HashMap<>();
        final List<ObjectNode> events = new ArrayList<>();
        int malformed;
        int misplaced;

        History(SplittableRandom random) {
            this.random = random;
        }

        void produce(KafkaProducer<byte[], byte[]> producer, int from, int to) throws Exception {
            String topic = Topics.EVENTS.name(space);
            for (int i = from; i < to; i++) {
                ProducerRecord<byte[], byte[]> record = next(topic, i);
                producer.send(record);
            }
            producer.flush();
        }

        private ProducerRecord<byte[], byte[]> next(String topic, int i) throws Exception {
            int roll = random.nextInt(100);
            if (roll < 6 && !sent.isEmpty()) {
                ProducerRecord<byte[], byte[]> again = sent.get(random.nextInt(sent.size()));
                if (again.key() == null) {
                    misplaced++; // keyless again: moved again
                }
                return new ProducerRecord<>(topic, again.key(), again.value());
            }
            int u = random.nextInt(USERS);
            String user = "user-" + u;
            byte[] key = user.getBytes(StandardCharsets.UTF_8);
            if (roll < 8 && !events.isEmpty()) {
                ObjectNode conflicting = events.get(random.nextInt(events.size())).deepCopy();
                ((ObjectNode) conflicting.get("context")).put("amount", random.nextLong(100, 90_000));
                return new ProducerRecord<>(topic, conflicting.get("user_id").asText().getBytes(StandardCharsets.UTF_8),
                        Json.MAPPER.writeValueAsBytes(conflicting));
            }
            if (roll < 10) {
                malformed++;
                if (random.nextBoolean()) {
                    return new ProducerRecord<>(topic, key, ("{\"user_id\":\"" + user + "\",\"event\":")
                            .getBytes(StandardCharsets.UTF_8));
                }
                // valid, but keyed by another user: key_mismatch
                return new ProducerRecord<>(topic, ("other-" + u).getBytes(StandardCharsets.UTF_8),
                        ("{\"user_id\":\"" + user + "\",\"event\":\"lesson.finished\",\"transaction_id\":\"k" + i
                                + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            Instant at = T0.plus(Duration.ofMinutes(i));
            int late = random.nextInt(100);
            if (late < 5) {
                at = at.minus(Duration.ofDays(2));
            } else if (late < 10 && at.isAfter(T_MID)) {
                at = T_MID.minus(Duration.ofMinutes(random.nextInt(1, 300)));
            }
            ObjectNode v = Json.MAPPER.createObjectNode();
            v.put("user_id", user);
            v.put("occurred_at", at.toString());
            String tx = "tx-" + i;
            int kind = random.nextInt(100);
            if (kind < 40) {
                v.put("event", "purchase.completed").put("transaction_id", tx);
                v.putObject("context").put("amount", random.nextLong(100, 90_000))
                        .put("currency", random.nextInt(10) == 0 ? "EUR" : "CZK");
                purchases.computeIfAbsent(u, x -> new ArrayList<>()).add(tx);
                events.add(v);
            } else if (kind < 65) {
                v.put("event", "lesson.finished").put("transaction_id", tx).putObject("context");
            } else if (kind < 70) {
                v.put("event", "user.registered").put("transaction_id", tx).putObject("context");
            } else if (kind < 78) {
                List<String> mine = purchases.getOrDefault(u, List.of());
                v.put("event", "purchase.refunded").put("transaction_id", tx).putObject("context")
                        .put("order_transaction_id", mine.isEmpty() ? "none" : mine.get(random.nextInt(mine.size())));
            } else if (kind < 90) {
                v.put("kind", "redemption").put("reward", "coffee").put("transaction_id", tx);
            } else {
                v.put("kind", "identify");
                v.putObject("traits").put("plan", random.nextBoolean() ? "gold" : "basic")
                        .put("score", new java.math.BigDecimal(random.nextInt(1000) + ".25"));
            }
            byte[] value = Json.MAPPER.writeValueAsBytes(v);
            int where = random.nextInt(100);
            ProducerRecord<byte[], byte[]> record;
            if (where < 5) {
                misplaced++;
                int right = Partitioning.partitionOf(key, PARTITIONS);
                record = new ProducerRecord<>(topic, (right + 1) % PARTITIONS, key, value);
            } else if (where < 7) {
                misplaced++;
                record = new ProducerRecord<>(topic, Partitioning.partitionOf(key, PARTITIONS), null, value);
            } else {
                record = new ProducerRecord<>(topic, key, value);
            }
            sent.add(record);
            return record;
        }
    }

    // ---- helpers

    private static ChildJvm startProcessor() throws InterruptedException {
        ChildJvm p = ChildJvm.start("processor", List.of("-Xmx512m"), "io.perkamo.cli.PerkamoCli",
                List.of("run", "--bootstrap-servers", bootstrap, "--port", Integer.toString(apiPort),
                        "--application-id", applicationId, "--state-dir", work.resolve("state").toString(),
                        "--streams-property", "consumer.session.timeout.ms=6000"),
                Map.of(MasterKey.ENV, masterKey, "PERKAMO_HOME", work.resolve("home").toString()),
                work.resolve("processor.log"));
        p.awaitLine("Perkamo is ready", Duration.ofMinutes(2));
        return p;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true,
                "linger.ms", 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Until the processor has committed every partition of the events topic to its end (moved copies included). */
    private static void awaitProcessed() throws Exception {
        String topic = Topics.EVENTS.name(space);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Eventually.await(Duration.ofMinutes(3), () -> {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
                var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                        .get(10, TimeUnit.SECONDS);
                var committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                for (var e : ends.entrySet()) {
                    var c = committed.get(e.getKey());
                    if (c == null || c.offset() < e.getValue().offset()) {
                        return false;
                    }
                }
                return true;
            }, "the processor to commit every events partition to its end");
        }
    }

    private static JsonNode lastProfile(String user) throws IOException {
        String topic = Topics.PROFILES.name(space);
        JsonNode last = null;
        try (KafkaConsumer<byte[], byte[]> consumer = TestKafka.committedConsumer(new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                parts.add(new TopicPartition(topic, p));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (user.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        last = Json.MAPPER.readTree(r.value());
                    }
                }
            }
        }
        assertThat(last).as("a profile record of " + user).isNotNull();
        return last;
    }

    private static JsonNode whatIf(String... source) throws IOException {
        Path report = work.resolve("whatif-" + System.nanoTime());
        List<String> args = new ArrayList<>(List.of("replay", "--program", work.resolve("v2.json").toString(),
                "--effective-at", T_MID.toString(), "--report", report.toString()));
        args.addAll(List.of(source));
        CliRun run = CliRun.perkamo(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return Json.MAPPER.readTree(report.resolve("summary.json").toFile());
    }

    private static JsonNode withoutTimings(JsonNode summary) {
        ObjectNode copy = summary.deepCopy();
        copy.remove("seconds");
        copy.remove("records_per_s");
        return copy;
    }
}
