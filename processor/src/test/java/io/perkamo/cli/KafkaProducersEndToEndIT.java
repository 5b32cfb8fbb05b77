package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.topics.Topics;
import io.perkamo.topics.Partitioning;
import io.perkamo.testing.Eventually;
import io.perkamo.testing.RunningNode;
import io.perkamo.testing.TestKafka;

/**
 * Issue 3's "done means", automated: a program written per SPEC section 3 applied with
 * `perkamo program apply`, then a few thousand JSON inputs produced the way kcat produces
 * them (librdkafka's CRC32 partitioner, not murmur2) with exact retries, conflicting retries
 * and malformed records mixed in. The profiles topic must hold what an independent reference
 * fold (written below from SPEC, sharing nothing with the Engine) computes; the outcomes topic
 * one outcome per valid input; the DLQ every malformed record with its code and source.
 */
class KafkaProducersEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 50;
    private static final int INPUTS_PER_USER = 60;
    private static final int PARTITIONS = 6;
    private static final String HEADER_ID = "it-id";

    static final String PROGRAM = """
            wallets:
              - {key: points, name: Points}
              - {key: xp, name: Experience}
            levels:
              wallet: xp
              basis: earned
              thresholds:
                - {level: 1, name: Bronze, at: 0}
                - {level: 2, name: Silver, at: 100, perks: [free_shipping]}
                - {level: 3, name: Gold, at: 400, perks: [priority_support]}
            rules:
              - key: purchase_points
                event: purchase.completed
                label: Purchase
                when: "context.currency == 'CZK'"
                award:
                  - {wallet: points, amount: "{{amount}} / 100"}
                  - {wallet: xp, amount: 10}
                limit: {count: 3, per: day}
              - {key: welcome, event: user.registered, label: Welcome, award: [{wallet: points, amount: 50}],
                 unlock: [welcome_member], limit: {count: 1, per: lifetime}}
              - {key: lesson_xp, event: lesson.finished, label: Lesson, award: [{wallet: xp, amount: 20}]}
            perks:
              - {key: welcome_member, name: Welcome member}
              - {key: free_shipping, name: Free shipping}
              - {key: priority_support, name: Priority support}
            """;

    /** The instance; its Space is created the way an operator does it, with the CLI. */
    @RegisterExtension
    static final RunningNode node = RunningNode.builder().build();
    private static String space;

    @BeforeAll
    static void createSpace() throws Exception {
        space = TestKafka.uniqueSlug("e2e");
        CliRun.createSpace(space, "test", PARTITIONS, TestKafka.bootstrapServers());
        node.node().awaitReady(Duration.ofSeconds(60));
    }

    @Test
    void shouldFoldKcatStyleInputsWithRetriesAndMalformedRecordsLikeAnIndependentReference() throws Exception {
        // given: the program applied the way an operator does it
        Path file = Files.createTempFile("program", ".yaml");
        Files.writeString(file, PROGRAM);
        CliRun applied = CliRun.perkamo("program", "apply", "--space", space, "--file", file.toString(),
                "--bootstrap-servers", TestKafka.bootstrapServers());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        awaitProgramInForce();

        List<String> users = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            users.add("user:" + u);
        }
        long rerouted = users.stream().filter(u -> crc32Partition(u) != murmur2Partition(u)).count();
        assertThat(rerouted).as("some users sit on another partition than murmur2 picks").isGreaterThan(10);

        Random random = new Random(20261125L);
        Map<String, List<Sent>> plan = new LinkedHashMap<>();
        for (String user : users) {
            plan.put(user, planFor(user, t0, random));
        }

        // when: produced like kcat (CRC32 partitioner), each user's records in order
        Map<String, Future<RecordMetadata>> sentMeta = new HashMap<>();
        Map<String, Sent> byId = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.PARTITIONER_CLASS_CONFIG, LibrdkafkaPartitioner.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            // interleave users, keeping each user's order
            for (int i = 0; ; i++) {
                boolean any = false;
                for (List<Sent> inputs : plan.values()) {
                    if (i < inputs.size()) {
                        any = true;
                        Sent s = inputs.get(i);
                        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS.name(space),
                                s.recordKey(), s.value().getBytes(StandardCharsets.UTF_8));
                        record.headers().add(HEADER_ID, s.id().getBytes(StandardCharsets.UTF_8));
                        sentMeta.put(s.id(), producer.send(record));
                        byId.put(s.id(), s);
                    }
                }
                if (!any) {
                    break;
                }
            }
            producer.flush();
        }
        Map<String, RecordMetadata> meta = new HashMap<>();
        for (Map.Entry<String, Future<RecordMetadata>> e : sentMeta.entrySet()) {
            meta.put(e.getKey(), e.getValue().get());
        }

        // the reference: per user, in production order
        Map<String, Reference> reference = new LinkedHashMap<>();
        Map<String, Integer> expectedOutcomes = new HashMap<>();
        Map<String, Integer> expectedOriginals = new HashMap<>();
        int expectedOutcomeTotal = 0;
        List<Sent> malformed = new ArrayList<>();
        for (Map.Entry<String, List<Sent>> e : plan.entrySet()) {
            Reference ref = new Reference(e.getKey());
            for (Sent s : e.getValue()) {
                if (s.malformedCode().isPresent()) {
                    malformed.add(s);
                    continue;
                }
                Instant at = s.occurredAt().orElseGet(() -> Instant.ofEpochMilli(meta.get(s.id()).timestamp()));
                String verdict = ref.apply(s, at);
                String txKey = e.getKey() + "|" + s.tx();
                expectedOutcomes.merge(txKey, 1, Integer::sum);
                if (verdict.equals("applied")) {
                    expectedOriginals.merge(txKey, 1, Integer::sum);
                }
                expectedOutcomeTotal++;
            }
            reference.put(e.getKey(), ref);
        }
        assertThat(malformed).hasSizeGreaterThan(30);
        assertThat(expectedOutcomeTotal).isGreaterThan(2900);

        // then
        int outcomesWanted = expectedOutcomeTotal;
        Map<String, List<JsonNode>> outcomes = new HashMap<>();
        Map<String, JsonNode> profiles = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        readUntil(List.of(Topics.OUTCOMES.name(space), Topics.PROFILES.name(space), Topics.DLQ.name(space)), r -> {
            String topic = r.topic();
            if (topic.equals(Topics.DLQ.name(space))) {
                dead.add(r);
                return;
            }
            JsonNode value = JSON.readTree(r.value());
            String user = new String(r.key(), StandardCharsets.UTF_8);
            if (topic.equals(Topics.OUTCOMES.name(space))) {
                outcomes.computeIfAbsent(user + "|" + value.path("transaction_id").asText(), k -> new ArrayList<>())
                        .add(value);
            } else {
                profiles.put(user, value);
            }
        }, () -> outcomes.values().stream().mapToInt(List::size).sum() >= outcomesWanted
                && dead.size() >= malformed.size()
                && reference.values().stream().allMatch(ref -> profiles.containsKey(ref.userId)
                        && profiles.get(ref.userId).path("version").asLong() >= ref.version));

        // every user's last profile equals the reference fold
        for (Reference ref : reference.values()) {
            JsonNode actual = profiles.get(ref.userId);
            assertThat(actual).as("profile of %s", ref.userId).isNotNull();
            // through text, so that equal numbers compare equal whatever node type built them
            assertThat(JSON.readTree(project(actual).toString())).as("profile of %s", ref.userId)
                    .isEqualTo(JSON.readTree(ref.expected().toString()));
        }

        // exactly one outcome per valid input; retries answer duplicate, conflicts are rejected
        assertThat(outcomes.keySet()).containsExactlyInAnyOrderElementsOf(expectedOutcomes.keySet());
        for (Map.Entry<String, Integer> e : expectedOutcomes.entrySet()) {
            List<JsonNode> got = outcomes.get(e.getKey());
            assertThat(got).as("outcomes of %s", e.getKey()).hasSize(e.getValue());
            assertThat(got.stream().filter(o -> o.path("applied").asBoolean()).count())
                    .as("applied outcomes of %s", e.getKey()).isEqualTo((long) expectedOriginals.getOrDefault(e.getKey(), 0));
            assertThat(got.get(0).path("applied").asBoolean()).as("first outcome of %s", e.getKey()).isTrue();
            assertThat(got.subList(1, got.size())).allSatisfy(o -> {
                boolean duplicate = o.path("duplicate").asBoolean();
                boolean conflict = "idempotency_conflict".equals(o.path("error").path("code").asText());
                assertThat(o.path("applied").asBoolean()).isFalse();
                assertThat(duplicate ^ conflict).as("duplicate xor conflict: %s", o).isTrue();
            });
        }

        // each malformed record in the DLQ, original bytes, its code and where it came from
        Map<String, ConsumerRecord<byte[], byte[]>> deadById = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            Header id = r.headers().lastHeader(HEADER_ID);
            assertThat(id).as("the producer's headers are kept").isNotNull();
            assertThat(deadById.put(new String(id.value(), StandardCharsets.UTF_8), r)).as("one DLQ record each").isNull();
        }
        assertThat(deadById.keySet()).containsExactlyInAnyOrderElementsOf(malformed.stream().map(Sent::id).toList());
        for (Sent s : malformed) {
            ConsumerRecord<byte[], byte[]> r = deadById.get(s.id());
            RecordMetadata source = meta.get(s.id());
            assertThat(header(r, "perkamo.error.code")).as("code of %s", s.value()).isEqualTo(s.malformedCode().get());
            assertThat(header(r, "perkamo.error.message")).isNotBlank();
            assertThat(header(r, "perkamo.source.topic")).isEqualTo(Topics.EVENTS.name(space));
            assertThat(header(r, "perkamo.source.partition")).isEqualTo(String.valueOf(source.partition()));
            assertThat(header(r, "perkamo.source.offset")).isEqualTo(String.valueOf(source.offset()));
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(s.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(s.recordKey());
        }
    }

    // ---- what is produced ----------------------------------------------------------------------

    /**
     * One produced record. occurredAt empty: the value has no occurred_at (receipt time, i.e. the
     * record timestamp, applies). payload identifies the input for dedup (everything but occurred_at).
     */
    record Sent(String id, String userId, String recordKey, String value, String tx, String kind, String event,
                ObjectNode context, ObjectNode traits, Optional<Instant> occurredAt, Optional<String> malformedCode) {
        String payload() {
            return kind + "|" + event + "|" + context + "|" + traits;
        }
    }

    private static List<Sent> planFor(String user, Instant t0, Random random) {
        List<Sent> out = new ArrayList<>();
        List<Sent> events = new ArrayList<>();
        int seq = 0;
        for (int i = 0; i < INPUTS_PER_USER; i++) {
            // the first inputs carry no occurred_at; then event time runs from t0 + 1 h to t0 + ~19 h
            Optional<Instant> at = i < 3 ? Optional.empty()
                    : Optional.of(t0.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(18L * i + random.nextInt(10))));
            String tx = "tx-" + i;
            Sent s;
            int roll = random.nextInt(100);
            if (i == 0 || roll < 3) {
                s = event(user, tx, "user.registered", JsonNodeFactory.instance.objectNode(), at, seq++);
            } else if (roll < 55) {
                ObjectNode c = JsonNodeFactory.instance.objectNode();
                if (random.nextInt(100) >= 4) {
                    c.put("amount", random.nextInt(40_000));
                }
                c.put("currency", random.nextInt(100) < 80 ? "CZK" : "EUR");
                c.put("order_id", "o-" + i);
                s = event(user, tx, "purchase.completed", c, at, seq++);
            } else if (roll < 85) {
                s = event(user, tx, "lesson.finished", JsonNodeFactory.instance.objectNode().put("lesson", i), at, seq++);
            } else if (roll < 92) {
                s = event(user, tx, "page.viewed", JsonNodeFactory.instance.objectNode().put("page", "/p/" + i), at,
                        seq++);
            } else {
                ObjectNode traits = JsonNodeFactory.instance.objectNode().put("plan", "plan-" + random.nextInt(3))
                        .put("seen_" + (i % 4), "yes");
                ObjectNode value = JsonNodeFactory.instance.objectNode().put("kind", "identify").put("user_id", user)
                        .put("transaction_id", tx);
                value.set("traits", traits);
                at.ifPresent(t -> value.put("occurred_at", format(t, random)));
                s = new Sent(user + "#" + seq++, user, user, value.toString(), tx, "identify", "", null, traits, at,
                        Optional.empty());
            }
            out.add(s);
            if (!s.kind().equals("identify")) {
                events.add(s);
            }
            int r = random.nextInt(1000);
            if (r < 55 && !events.isEmpty()) {
                // an exact retry: same transaction_id and payload, occurred_at re-stamped
                Sent original = events.get(random.nextInt(events.size()));
                out.add(retry(original, seq++, random));
            } else if (r < 65 && !events.isEmpty()) {
                // a conflicting retry: same transaction_id, another payload
                Sent original = events.get(random.nextInt(events.size()));
                ObjectNode changed = original.context().deepCopy().put("changed", true);
                out.add(eventValue(user, user, original.tx(), original.event(), changed, original.occurredAt(), seq++,
                        random));
            } else if (r < 90) {
                out.add(malformed(user, i, seq++, r % 5));
            }
        }
        return out;
    }

    private static Sent event(String user, String tx, String event, ObjectNode context, Optional<Instant> at, int seq) {
        return eventValue(user, user, tx, event, context, at, seq, new Random(seq));
    }

    private static Sent eventValue(String user, String key, String tx, String event, ObjectNode context,
                                   Optional<Instant> at, int seq, Random random) {
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("user_id", user).put("event", event)
                .put("transaction_id", tx);
        if (!context.isEmpty() || random.nextBoolean()) {
            value.set("context", context);
        }
        at.ifPresent(t -> value.put("occurred_at", format(t, random)));
        return new Sent(user + "#" + seq, user, key, value.toString(), tx, "event", event, context, null, at,
                Optional.empty());
    }

    /** The original's bytes with occurred_at re-stamped, as the PHP SDK and most producers retry. */
    private static Sent retry(Sent original, int seq, Random random) {
        ObjectNode value;
        try {
            value = (ObjectNode) JSON.readTree(original.value());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Optional<Instant> restamped = original.occurredAt().map(t -> t.plusSeconds(90));
        restamped.ifPresent(t -> value.put("occurred_at", format(t, random)));
        return new Sent(original.userId() + "#" + seq, original.userId(), original.recordKey(), value.toString(),
                original.tx(), original.kind(), original.event(), original.context(), original.traits(), restamped,
                Optional.empty());
    }

    private static Sent malformed(String user, int i, int seq, int type) {
        String id = user + "#" + seq;
        String tx = "bad-" + i;
        return switch (type) {
            case 0 -> new Sent(id, user, user, "{\"user_id\":\"" + user + "\",\"event\":\"lesson.finished\",", tx,
                    "", "", null, null, Optional.empty(), Optional.of("invalid_json"));
            case 1 -> new Sent(id, user, user, "{\"user_id\":\"" + user + "\",\"event\":\"lesson.finished\","
                    + "\"transaction_id\":\"" + tx + "\",\"context\":{\"Wallets\":{\"points\":1000}}}", tx, "", "",
                    null, null, Optional.empty(), Optional.of("reserved_context_field"));
            case 2 -> new Sent(id, user, user, "{\"user_id\":\"" + user + "\",\"event\":\"Lesson Finished\","
                    + "\"transaction_id\":\"" + tx + "\"}", tx, "", "", null, null, Optional.empty(),
                    Optional.of("invalid_event"));
            case 3 -> new Sent(id, user, user, "{\"user_id\":\"" + user + "\",\"event\":\"lesson.finished\"}", tx,
                    "", "", null, null, Optional.empty(), Optional.of("invalid_transaction_id"));
            default -> new Sent(id, user, "someone-else", "{\"user_id\":\"" + user + "\",\"event\":\"lesson.finished\","
                    + "\"transaction_id\":\"" + tx + "\"}", tx, "", "", null, null, Optional.empty(),
                    Optional.of("key_mismatch"));
        };
    }

    /** ISO-8601 with an offset, as producers write it: Z, +00:00 or another offset. */
    private static String format(Instant t, Random random) {
        java.time.format.DateTimeFormatter offset = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
        return switch (random.nextInt(3)) {
            case 0 -> t.toString();
            case 1 -> offset.format(t.atOffset(ZoneOffset.UTC));
            default -> offset.format(t.atOffset(ZoneOffset.ofHours(2)));
        };
    }

    // ---- the reference fold (SPEC sections 2 and 3, for exactly the rules above) ----------------

    static final class Reference {
        static final long[] LEVEL_AT = {0, 100, 400};
        static final String[] LEVEL_NAME = {"Bronze", "Silver", "Gold"};
        static final String[] LEVEL_PERK = {null, "free_shipping", "priority_support"};

        final String userId;
        final Map<String, String> seen = new HashMap<>();
        final TreeMap<String, Long> wallets = new TreeMap<>();
        final TreeMap<String, Long> earned = new TreeMap<>();
        final TreeMap<String, Instant> perks = new TreeMap<>();
        final ObjectNode traits = JsonNodeFactory.instance.objectNode();
        long version;
        int level;
        LocalDate purchaseDay;
        long purchasesThatDay;
        boolean welcomed;
        Instant createdAt;
        Instant updatedAt;

        Reference(String userId) {
            this.userId = userId;
        }

        /** @return applied, duplicate or conflict */
        String apply(Sent s, Instant at) {
            String before = seen.get(s.tx());
            if (before != null) {
                return before.equals(s.payload()) ? "duplicate" : "conflict";
            }
            seen.put(s.tx(), s.payload());
            if (s.kind().equals("identify")) {
                traits.setAll(s.traits());
            } else {
                switch (s.event()) {
                    case "purchase.completed" -> purchase(s.context(), at);
                    case "user.registered" -> {
                        if (!welcomed) {
                            welcomed = true;
                            credit("points", 50);
                            perks.putIfAbsent("welcome_member", at);
                        }
                    }
                    case "lesson.finished" -> credit("xp", 20);
                    default -> {
                    }
                }
            }
            version++;
            createdAt = createdAt == null ? at : createdAt;
            updatedAt = at;
            long xp = earned.getOrDefault("xp", 0L);
            for (int l = 0; l < LEVEL_AT.length; l++) {
                if (xp >= LEVEL_AT[l]) {
                    level = Math.max(level, l + 1);
                }
            }
            for (int l = 0; l < level; l++) {
                if (LEVEL_PERK[l] != null) {
                    perks.putIfAbsent(LEVEL_PERK[l], at);
                }
            }
            return "applied";
        }

        private void purchase(ObjectNode context, Instant at) {
            if (!"CZK".equals(context.path("currency").asText())) {
                return;
            }
            LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
            if (!day.equals(purchaseDay)) {
                purchaseDay = day;
                purchasesThatDay = 0;
            }
            if (purchasesThatDay >= 3) {
                return;
            }
            purchasesThatDay++;
            if (context.has("amount")) {
                credit("points", context.get("amount").asLong() / 100);
            }
            credit("xp", 10);
        }

        private void credit(String wallet, long amount) {
            wallets.merge(wallet, amount, Long::sum);
            earned.merge(wallet, amount, Long::sum);
        }

        ObjectNode expected() {
            ObjectNode p = JsonNodeFactory.instance.objectNode();
            p.put("user_id", userId).put("version", version).put("program_version", 1);
            p.set("wallets", nonZero(wallets));
            p.set("earned", nonZero(earned));
            ObjectNode lv = p.putObject("level").put("wallet", "xp").put("level", level)
                    .put("name", LEVEL_NAME[level - 1]);
            long xp = earned.getOrDefault("xp", 0L);
            lv.put("current", xp).put("currentLevelAt", LEVEL_AT[level - 1]);
            if (level < LEVEL_AT.length) {
                long next = LEVEL_AT[level];
                lv.put("nextLevelAt", next);
                double progress = (double) (xp - LEVEL_AT[level - 1]) / (double) (next - LEVEL_AT[level - 1]);
                lv.put("progress", Math.max(0, Math.min(1, progress)));
            } else {
                lv.putNull("nextLevelAt");
                lv.put("progress", 1.0);
            }
            ObjectNode ps = p.putObject("perks");
            perks.forEach((k, t) -> ps.put(k, t.toString()));
            p.set("traits", traits);
            ObjectNode limits = p.putObject("limits");
            if (purchaseDay != null) {
                limits.put("purchase_points", "day " + purchaseDay.atStartOfDay(ZoneOffset.UTC).toInstant() + " "
                        + purchasesThatDay);
            }
            if (welcomed) {
                limits.put("welcome", "lifetime " + Instant.EPOCH + " 1");
            }
            p.put("created_at", createdAt.toString());
            p.put("updated_at", updatedAt.toString());
            return p;
        }

        private static ObjectNode nonZero(Map<String, Long> map) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            map.forEach((k, v) -> {
                if (v != 0) {
                    out.put(k, v);
                }
            });
            return out;
        }
    }

    /** The profile fields the reference decides, in the reference's shape. */
    static ObjectNode project(JsonNode actual) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("user_id", actual.path("user_id").asText()).put("version", actual.path("version").asLong())
                .put("program_version", actual.path("program_version").asLong());
        p.set("wallets", nonZeroOf(actual.path("wallets")));
        p.set("earned", nonZeroOf(actual.path("earned")));
        JsonNode level = actual.path("level");
        ObjectNode lv = p.putObject("level").put("wallet", level.path("wallet").asText())
                .put("level", level.path("level").asInt()).put("name", level.path("name").asText())
                .put("current", level.path("current").asLong())
                .put("currentLevelAt", level.path("currentLevelAt").asLong());
        if (level.path("nextLevelAt").isNull() || level.path("nextLevelAt").isMissingNode()) {
            lv.putNull("nextLevelAt");
        } else {
            lv.put("nextLevelAt", level.path("nextLevelAt").asLong());
        }
        lv.put("progress", level.path("progress").asDouble());
        ObjectNode perks = p.putObject("perks");
        actual.path("perks").forEach(k -> perks.put(k.path("key").asText(),
                Instant.parse(k.path("unlocked_at").asText()).toString()));
        p.set("traits", actual.path("traits"));
        ObjectNode limits = p.putObject("limits");
        actual.path("limits").forEach(l -> limits.put(l.path("key").asText(), l.path("period").asText() + " "
                + Instant.parse(l.path("period_start").asText()) + " " + l.path("count").asLong()));
        p.put("created_at", Instant.parse(actual.path("created_at").asText()).toString());
        p.put("updated_at", Instant.parse(actual.path("updated_at").asText()).toString());
        return p;
    }

    private static ObjectNode nonZeroOf(JsonNode map) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        map.properties().forEach(e -> {
            if (e.getValue().asLong() != 0) {
                out.put(e.getKey(), e.getValue().asLong());
            }
        });
        return out;
    }

    // ---- helpers -------------------------------------------------------------------------------

    /**
     * A probe through the events topic until its outcome names program version 1: from then on the
     * processor has the applied program (the API's control view may see it earlier).
     */
    private static void awaitProgramInForce() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()), new StringSerializer(),
                new StringSerializer());
             KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.OUTCOMES.name(space)));
            AtomicInteger probe = new AtomicInteger();
            Eventually.await(Duration.ofSeconds(60), () -> {
                String tx = "probe-" + probe.getAndIncrement();
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(space), "probe",
                        "{\"user_id\":\"probe\",\"event\":\"page.viewed\",\"transaction_id\":\"" + tx + "\"}")).get();
                // the probe's outcome (10 s at most), then the next probe
                Optional<JsonNode> outcome = Eventually.untilPresent(Duration.ofSeconds(10), () -> {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        JsonNode o = JSON.readTree(r.value());
                        if (o.path("transaction_id").asText().equals(tx)) {
                            return Optional.of(o);
                        }
                    }
                    return Optional.empty();
                });
                return outcome.isPresent() && outcome.get().path("program_version").asLong() == 1;
            }, "the processor evaluating an input with the applied program");
        }
    }

    @FunctionalInterface
    interface RecordSink {
        void accept(ConsumerRecord<byte[], byte[]> r) throws Exception;
    }

    /** Reads the topics from the start until done holds (then on to their current end), or fails after 120 s. */
    private static void readUntil(List<String> topics, RecordSink sink, java.util.function.BooleanSupplier done)
            throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.subscribe(topics);
            Eventually.await(Duration.ofSeconds(120), () -> {
                if (done.getAsBoolean()) {
                    return true;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    if (!"probe".equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        sink.accept(r);
                    }
                }
                return done.getAsBoolean();
            }, "outputs complete");
            // anything committed by now is read too, so extra outcomes or DLQ records are seen
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    if (!"probe".equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        sink.accept(r);
                    }
                }
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return TestKafka.committedConsumer(new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static int crc32Partition(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % PARTITIONS);
    }

    private static int murmur2Partition(String key) {
        return Partitioning.partitionOf(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
    }

    /** librdkafka's default (kcat's): consistent_random, CRC32 of the key modulo the partition count. */
    public static final class LibrdkafkaPartitioner implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                             Cluster cluster) {
            CRC32 crc = new CRC32();
            crc.update(keyBytes);
            return (int) (crc.getValue() % cluster.partitionCountForTopic(topic));
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
