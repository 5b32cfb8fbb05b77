package io.perkamo.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.ProgramVersion;
import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.core.step.FoldStep;
import io.perkamo.schemas.Json;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.ProfileJson;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.PerkamoHeaders;
import io.perkamo.topics.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * For random histories (purchases, lessons, refunds, redemptions, identifies with decimal
 * traits, retries, conflicts, back-dated, malformed, keyless and mis-keyed records) and two
 * random programs P and Q: the what-if of Q over the history, folded live under P, equals the
 * live processor's fold under Q, outcome by outcome and profile by profile, byte for byte; its
 * live lane equals the live fold under P; and the what-if's totals equal the sums taken from
 * the live processor's own outcomes and profiles.
 */
class WhatIfPropertiesTest {
    private static final String SPACE = "prop";
    private static final LiveFold LIVE = new LiveFold();
    private static final java.util.concurrent.atomic.AtomicInteger TRIES = new java.util.concurrent.atomic.AtomicInteger();

    @AfterContainer
    static void closeDriver() {
        LIVE.close();
    }

    /** A program of the family: P and Q are two draws. */
    record Plan(int perHundred, int lessonXp, int silverAt, int coffeeCost, Optional<Integer> purchaseLimit,
                boolean vipBonus) {
        String yaml() {
            return """
                    wallets: [{key: points, name: Points}, {key: xp, name: XP}]
                    levels:
                      wallet: xp
                      basis: earned
                      thresholds:
                        - {level: 1, name: Bronze, at: 0}
                        - {level: 2, name: Silver, at: %d, perks: [free_shipping]}
                    rules:
                      - key: purchase
                        event: purchase.completed
                        award: [{wallet: points, amount: "{{amount}} * %d / 100"}, {wallet: xp, amount: 10}]
                        %s
                      - {key: lesson, event: lesson.finished, award: [{wallet: xp, amount: %d}]}
                      %s
                      - {key: refund, event: purchase.refunded, reverse: "{{order}}"}
                    perks: [{key: free_shipping, name: Free shipping}, {key: coffee_voucher, name: Coffee voucher}]
                    achievements:
                      - {key: three_lessons, name: Three lessons, event: lesson.finished, count: 3,
                         award: [{wallet: points, amount: 5}]}
                    rewards:
                      - {key: coffee, name: Coffee, cost: {wallet: points, amount: %d}, min_level: 2,
                         unlock: [coffee_voucher]}
                    """.formatted(silverAt, perHundred,
                    purchaseLimit.map(l -> "limit: {count: " + l + ", per: day}").orElse(""), lessonXp,
                    vipBonus ? "- {key: vip, event: purchase.completed, when: \"traits.vip == true\","
                            + " award: [{wallet: points, amount: 7}]}" : "", coffeeCost);
        }

        ObjectNode json() {
            try {
                return (ObjectNode) Programs.YAML.readTree(yaml());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        ProgramDefinition definition() {
            return ((ProgramParse.Parsed) Programs.parse(yaml())).definition();
        }
    }

    /** kind: 0-2 purchase, 3 lesson, 4 refund, 5 redeem, 6 identify, 7 retry, 8 conflict, 9 odd record. */
    record Step(int kind, int user, long amount, int pick, int daysBack) {
    }

    @Provide
    Arbitrary<Plan> plans() {
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(5, 40),
                Arbitraries.integers().between(30, 200), Arbitraries.integers().between(20, 200),
                Arbitraries.integers().between(1, 4).optional(), Arbitraries.of(true, false)).as(Plan::new);
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 3), Arbitraries.longs().between(100, 30_000),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.frequency(Tuple.of(8, 0), Tuple.of(1, 1), Tuple.of(1, 5)))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 40)
    void whatIfOfQOverAHistoryFoldedUnderPIsTheLiveFoldUnderQ(@ForAll("plans") Plan p, @ForAll("plans") Plan q,
                                                             @ForAll("histories") List<Step> steps)
            throws Exception {
        // given a history the live processor folded under P, and the live fold of the same records under Q
        List<LiveFold.Produced> produced = records(steps);
        int n = TRIES.incrementAndGet();
        ProgramVersion pVersion = LiveFold.version(SPACE, 1, Instant.EPOCH, p.json());
        Live underP = live(LiveFold.version("p-" + n, 1, Instant.EPOCH, p.json()), produced);
        // the what-if numbers its draft as the next version (2), in force from the beginning
        Live underQ = live(LiveFold.version("q-" + n, 2, Instant.EPOCH, q.json()), produced);
        List<LogRecord> log = topicContent(produced);

        // when the what-if of Q runs over that history
        ReplayedLanes replay = ReplayedLanes.of(history(List.of(pVersion), log), Optional.of(q.definition()),
                Duration.ofDays(30));
        WhatIfReport report;
        try (SpaceHistory history = history(List.of(pVersion), log)) {
            report = Replay.whatIf(history, q.definition(), Instant.EPOCH, options(), Progress.silent());
        }

        // then its draft lane is the live fold under Q, and its live lane the live fold under P
        assertThat(replay.draftOutcomes).isEqualTo(underQ.outcomes);
        assertThat(replay.draftProfiles).isEqualTo(underQ.profiles);
        assertThat(replay.liveOutcomes).isEqualTo(underP.outcomes);
        assertThat(replay.liveProfiles).isEqualTo(underP.profiles);
        // and its totals are the sums of what the live processor wrote
        JsonNode wallets = report.summary().get("wallets");
        for (String wallet : List.of("points", "xp")) {
            assertThat(totals(wallets.path(wallet).path("draft"))).as("draft " + wallet).isEqualTo(underQ.totals(wallet));
            assertThat(totals(wallets.path(wallet).path("live"))).as("live " + wallet).isEqualTo(underP.totals(wallet));
        }
        long differing = underP.profiles.keySet().stream().filter(u -> !view(underP.profiles.get(u))
                .equals(view(underQ.profiles.get(u)))).count();
        assertThat(report.differingUsers()).isEqualTo(differing);
    }

    // ---- the live side

    /** What the live processor wrote, and the sums an analyst would take from it. */
    private record Live(List<String> outcomes, Map<String, String> profiles) {
        List<Long> totals(String wallet) {
            long credited = 0;
            long debited = 0;
            for (String o : outcomes) {
                JsonNode n = tree(o);
                if (!n.path("applied").asBoolean()) {
                    continue;
                }
                for (JsonNode d : n.path("delta")) {
                    if (d.path("wallet").asText().equals(wallet)) {
                        long a = d.path("amount").asLong();
                        credited += Math.max(0, a);
                        debited += Math.max(0, -a);
                    }
                }
            }
            long outstanding = 0;
            for (String p : profiles.values()) {
                outstanding += tree(p).path("wallets").path(wallet).asLong(0);
            }
            return List.of(credited, debited, outstanding);
        }
    }

    /** The live fold in a Space of its own with this one version. */
    private static Live live(ProgramVersion version, List<LiveFold.Produced> produced) {
        LIVE.publish(List.of(version));
        LIVE.produce(version.space(), produced);
        return new Live(LIVE.outcomes(version.space()), LIVE.profiles(version.space()));
    }

    private static List<Long> totals(JsonNode lane) {
        return List.of(lane.path("credited").asLong(), lane.path("debited").asLong(), lane.path("outstanding").asLong());
    }

    private static List<Object> view(String profile) {
        JsonNode n = tree(profile);
        return List.of(n.path("wallets"), n.path("level").path("level").asInt(0), n.path("perks").findValuesAsText("key"));
    }

    // ---- the replay side

    static SpaceHistory history(List<ProgramVersion> programs, List<LogRecord> log) {
        return new SpaceHistory(SPACE, programs, EventLog.of(Topics.EVENTS.name(SPACE), 1, log),
                new InputDecoder(Optional.empty()));
    }

    private static Replay.Options options() {
        return new Replay.Options(Window.ALL, Duration.ofDays(30), 1, Limits.NONE);
    }

    /** What the events topic holds: the produced records, and right after a keyless one the copy the router moved. */
    private static List<LogRecord> topicContent(List<LiveFold.Produced> produced) {
        List<LogRecord> out = new ArrayList<>();
        long offset = 0;
        for (LiveFold.Produced p : produced) {
            byte[] key = p.key() == null ? null : p.key().getBytes(StandardCharsets.UTF_8);
            out.add(new LogRecord(0, offset++, p.timestamp().toEpochMilli(), key, p.value(), new RecordHeaders()));
            if (p.key() == null) {
                JsonNode v = tree(new String(p.value(), StandardCharsets.UTF_8));
                RecordHeaders moved = new RecordHeaders();
                moved.add(PerkamoHeaders.REROUTED, new byte[] {1});
                out.add(new LogRecord(0, offset++, p.timestamp().toEpochMilli(),
                        v.path("user_id").asText().getBytes(StandardCharsets.UTF_8), p.value(), moved));
            }
        }
        return out;
    }

    // ---- the history

    private static List<LiveFold.Produced> records(List<Step> steps) {
        List<LiveFold.Produced> out = new ArrayList<>();
        Map<Integer, List<String>> purchases = new HashMap<>();
        List<LiveFold.Produced> sent = new ArrayList<>();
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String user = "user-" + s.user();
            Instant recordTime = LiveFold.T0.plusSeconds(60L * i);
            Instant occurred = LiveFold.T0.plus(Duration.ofMinutes(37L * i)).minus(Duration.ofDays(s.daysBack()));
            ObjectNode v = Json.MAPPER.createObjectNode();
            v.put("user_id", user);
            v.put("occurred_at", occurred.toString());
            String tx = "tx-" + i;
            switch (s.kind()) {
                case 0, 1, 2 -> {
                    v.put("event", "purchase.completed").put("transaction_id", tx);
                    v.putObject("context").put("amount", s.amount());
                    purchases.computeIfAbsent(s.user(), u -> new ArrayList<>()).add(tx);
                    events.add(v);
                }
                case 3 -> v.put("event", "lesson.finished").put("transaction_id", tx).putObject("context");
                case 4 -> {
                    List<String> mine = purchases.getOrDefault(s.user(), List.of());
                    String ref = mine.isEmpty() || s.pick() % 7 == 0 ? "unknown-" + i : mine.get(s.pick() % mine.size());
                    v.put("event", "purchase.refunded").put("transaction_id", tx).putObject("context").put("order", ref);
                }
                case 5 -> v.put("kind", "redemption").put("reward", "coffee").put("transaction_id", tx);
                case 6 -> {
                    v.put("kind", "identify");
                    ObjectNode traits = v.putObject("traits");
                    traits.put("vip", s.pick() % 2 == 0);
                    // decimal traits: stored traits come back as doubles (fewer digits), and the replay
                    // must carry what the stream carries from one input to the next
                    traits.put("score", new java.math.BigDecimal(s.amount() / 100 + ".0"));
                    traits.put("ratio", new java.math.BigDecimal(s.amount() + ".12345678901234567891"));
                }
                case 7 -> {
                    if (!sent.isEmpty()) {
                        LiveFold.Produced again = sent.get(s.pick() % sent.size());
                        out.add(new LiveFold.Produced(again.key(), again.value(), recordTime));
                        continue;
                    }
                    v.put("event", "lesson.finished").put("transaction_id", tx);
                }
                case 8 -> {
                    if (!events.isEmpty()) {
                        ObjectNode conflicting = events.get(s.pick() % events.size()).deepCopy();
                        ((ObjectNode) conflicting.get("context")).put("amount", s.amount() + 1);
                        out.add(new LiveFold.Produced(conflicting.get("user_id").asText(), bytes(conflicting),
                                recordTime));
                        continue;
                    }
                    v.put("event", "lesson.finished").put("transaction_id", tx);
                }
                default -> {
                    int odd = s.pick() % 3;
                    if (odd == 0) {
                        out.add(new LiveFold.Produced(user, ("{\"user_id\":\"" + user + "\",\"event\":")
                                .getBytes(StandardCharsets.UTF_8), recordTime));
                        continue;
                    }
                    v.put("event", "lesson.finished").put("transaction_id", tx);
                    out.add(new LiveFold.Produced(odd == 1 ? null : user + "-other", bytes(v), recordTime));
                    continue;
                }
            }
            LiveFold.Produced record = new LiveFold.Produced(user, bytes(v), recordTime);
            out.add(record);
            sent.add(record);
        }
        return out;
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
