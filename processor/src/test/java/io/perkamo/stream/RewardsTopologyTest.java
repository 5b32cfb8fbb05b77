package io.perkamo.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.perkamo.topics.Topics;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.ProfileJson;
import io.perkamo.topics.InputDecoder;

/**
 * Redemptions (every reason code, retries), achievement streaks (UTC day edges) and reversals
 * through the whole topology: JSON inputs on the events topic, outcomes and profiles out.
 */
class RewardsTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPACE = "shop";
    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
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
              - {key: grant, event: points.granted, award: [{wallet: points, amount: "{{amount}}"}]}
              - {key: xp, event: xp.granted, award: [{wallet: xp, amount: "{{amount}}"}]}
              - key: purchase
                event: purchase.completed
                award: [{wallet: points, amount: "{{amount}} / 100"}, {wallet: xp, amount: 10}]
              - {key: refund, event: purchase.refunded, reverse: "{{order_transaction_id}}"}
            perks:
              - {key: coffee_voucher, name: Coffee voucher}
            achievements:
              - {key: two_days, name: Two days in a row, event: lesson.finished, streak: {days: 2}}
              - {key: week_streak, name: 7-day streak, event: lesson.finished, streak: {days: 7}}
            rewards:
              - {key: coffee, name: Free coffee, cost: {wallet: points, amount: 30}, unlock: [coffee_voucher]}
              - {key: lounge, name: Lounge access, cost: {wallet: points, amount: 10}, min_level: 2}
              - {key: daily_cake, name: Daily cake, cost: {wallet: points, amount: 1}, limit: {count: 1, per: day}}
            """;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> outcomes;
    private TestOutputTopic<String, byte[]> profiles;
    private final List<JsonNode> profileHistory = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "perkamo-rewards-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        PerkamoTopology.Settings settings = new PerkamoTopology.Settings(new InputDecoder(Optional.empty()),
                topic -> 1, new ProgramRegistry(), OutputSerializer.json(OutcomeJson::bytes),
                OutputSerializer.json(ProfileJson::bytes), Duration.ofDays(30));
        driver = new TopologyTestDriver(PerkamoTopology.build(settings), props, T0);
        events = driver.createInputTopic(Topics.EVENTS.name(SPACE), new StringSerializer(), new ByteArraySerializer());
        outcomes = driver.createOutputTopic(Topics.OUTCOMES.name(SPACE), new StringDeserializer(),
                new ByteArrayDeserializer());
        profiles = driver.createOutputTopic(Topics.PROFILES.name(SPACE), new StringDeserializer(),
                new ByteArrayDeserializer());
        publishProgram();
    }

    @AfterEach
    void close() {
        // whatever a test did, no emitted state ever held a negative balance
        drainProfiles();
        assertThat(profileHistory).allSatisfy(p -> p.path("wallets").forEach(
                balance -> assertThat(balance.asLong()).as("balance in %s", p).isNotNegative()));
        driver.close();
    }

    // ---- redemptions: each reason code ---------------------------------------------------------

    @Test
    void shouldRedeemDebitingTheCostAndUnlockingTheRewardAndItsPerks() {
        grant("u1", "g1", 100, T0);

        JsonNode r = redeem("u1", "r1", "coffee", T0.plusSeconds(60));

        assertThat(r.path("applied").asBoolean()).isTrue();
        assertThat(r.path("status").asText()).isEqualTo("redeemed");
        assertThat(r.has("reason")).isFalse();
        assertThat(r.path("reward").asText()).isEqualTo("coffee");
        assertThat(r.path("delta")).hasSize(1);
        assertThat(r.path("delta").get(0).path("wallet").asText()).isEqualTo("points");
        assertThat(r.path("delta").get(0).path("amount").asLong()).isEqualTo(-30);
        assertThat(r.path("unlocked")).extracting(u -> u.path("type").asText() + ":" + u.path("key").asText())
                .containsExactlyInAnyOrder("reward:coffee", "perk:coffee_voucher");
        assertThat(r.path("wallet_state").path("points").asLong()).isEqualTo(70);
        assertThat(lastProfile("u1").path("wallets").path("points").asLong()).isEqualTo(70);
    }

    @Test
    void shouldRejectWithInsufficientBalanceAndChangeNothing() {
        grant("u1", "g1", 29, T0);

        JsonNode r = redeem("u1", "r1", "coffee", T0.plusSeconds(60));

        assertRejected(r, "insufficient_balance");
        assertThat(r.path("wallet_state").path("points").asLong()).isEqualTo(29);
        assertThat(lastProfile("u1").path("wallets").path("points").asLong()).isEqualTo(29);
        assertThat(lastProfile("u1").path("redemptions")).isEmpty();
    }

    @Test
    void shouldRejectBelowTheMinimumLevelWithLevelRequiredEvenWithEnoughPoints() {
        grant("u1", "g1", 500, T0);

        JsonNode below = redeem("u1", "r1", "lounge", T0.plusSeconds(60));
        xp("u1", "x1", 100, T0.plusSeconds(120));
        JsonNode reached = redeem("u1", "r2", "lounge", T0.plusSeconds(180));

        assertRejected(below, "level_required");
        assertThat(reached.path("status").asText()).isEqualTo("redeemed");
        assertThat(reached.path("wallet_state").path("points").asLong()).isEqualTo(490);
    }

    @Test
    void shouldRejectPastTheRewardLimitWithLimitReachedUntilTheNextUtcDay() {
        grant("u1", "g1", 100, T0);

        JsonNode first = redeem("u1", "r1", "daily_cake", Instant.parse("2026-06-01T10:01:00Z"));
        JsonNode second = redeem("u1", "r2", "daily_cake", Instant.parse("2026-06-01T23:59:59Z"));
        JsonNode nextDay = redeem("u1", "r3", "daily_cake", Instant.parse("2026-06-02T00:00:00Z"));

        assertThat(first.path("status").asText()).isEqualTo("redeemed");
        assertRejected(second, "limit_reached");
        assertThat(second.path("wallet_state").path("points").asLong()).isEqualTo(99);
        assertThat(nextDay.path("status").asText()).isEqualTo("redeemed");
        assertThat(nextDay.path("wallet_state").path("points").asLong()).isEqualTo(98);
    }

    @Test
    void shouldRejectAnUnknownReward() {
        grant("u1", "g1", 100, T0);

        JsonNode r = redeem("u1", "r1", "yacht", T0.plusSeconds(60));

        assertRejected(r, "unknown_reward");
        assertThat(r.path("wallet_state").path("points").asLong()).isEqualTo(100);
    }

    @Test
    void shouldAnswerARetriedRedemptionAsADuplicateWithoutASecondDebit() {
        grant("u1", "g1", 100, T0);
        JsonNode first = redeem("u1", "r1", "coffee", T0.plusSeconds(60));
        long versionAfterFirst = lastProfile("u1").path("version").asLong();

        // the SDK re-stamps occurred_at on a retry: still the same redemption
        JsonNode retry = redeem("u1", "r1", "coffee", T0.plusSeconds(65));

        assertThat(retry.path("duplicate").asBoolean()).isTrue();
        assertThat(retry.path("applied").asBoolean()).isFalse();
        assertThat(retry.path("status").asText()).isEqualTo("redeemed");
        assertThat(retry.path("delta")).isEqualTo(first.path("delta"));
        assertThat(retry.path("wallet_state").path("points").asLong()).isEqualTo(70);
        assertThat(lastProfile("u1").path("wallets").path("points").asLong()).isEqualTo(70);
        assertThat(lastProfile("u1").path("version").asLong()).isEqualTo(versionAfterFirst);
        assertThat(lastProfile("u1").path("redemptions").get(0).path("count").asLong()).isEqualTo(1);
    }

    @Test
    void shouldAnswerARetriedRejectionWithTheSameRejectionAfterTheBalanceGrew() {
        JsonNode first = redeem("u1", "r1", "coffee", T0);
        grant("u1", "g1", 100, T0.plusSeconds(60));

        JsonNode retry = redeem("u1", "r1", "coffee", T0.plusSeconds(120));
        JsonNode fresh = redeem("u1", "r2", "coffee", T0.plusSeconds(180));

        assertRejected(first, "insufficient_balance");
        assertThat(retry.path("duplicate").asBoolean()).isTrue();
        assertThat(retry.path("applied").asBoolean()).isFalse();
        assertThat(retry.path("status").asText()).isEqualTo("rejected");
        assertThat(retry.path("reason").asText()).isEqualTo("insufficient_balance");
        assertThat(retry.path("wallet_state").path("points").asLong()).isEqualTo(100);
        assertThat(fresh.path("status").asText()).isEqualTo("redeemed");
        assertThat(fresh.path("wallet_state").path("points").asLong()).isEqualTo(70);
    }

    @Test
    void shouldAnswerARedemptionReusingATransactionIdWithAnotherRewardAsAConflict() {
        grant("u1", "g1", 100, T0);
        redeem("u1", "r1", "coffee", T0.plusSeconds(60));

        JsonNode conflict = redeem("u1", "r1", "daily_cake", T0.plusSeconds(61));

        assertThat(conflict.path("applied").asBoolean()).isFalse();
        assertThat(conflict.path("error").path("code").asText()).isEqualTo("idempotency_conflict");
        assertThat(lastProfile("u1").path("wallets").path("points").asLong()).isEqualTo(70);
    }

    @Test
    void shouldListRedemptionsPerRewardWithCountAndLastTimeOnTheProfile() {
        grant("u1", "g1", 70, T0);
        redeem("u1", "r1", "coffee", Instant.parse("2026-06-01T11:00:00Z"));
        redeem("u1", "r2", "coffee", Instant.parse("2026-06-01T12:00:00Z"));
        redeem("u1", "r3", "daily_cake", Instant.parse("2026-06-01T13:00:00Z"));
        redeem("u1", "r4", "coffee", Instant.parse("2026-06-01T14:00:00Z")); // rejected: 9 points left

        JsonNode redemptions = lastProfile("u1").path("redemptions");

        assertThat(redemptions).hasSize(2);
        assertThat(redemptions.get(0).path("reward").asText()).isEqualTo("coffee");
        assertThat(redemptions.get(0).path("count").asLong()).isEqualTo(2);
        assertThat(redemptions.get(0).path("last_at").asText()).isEqualTo("2026-06-01T12:00:00Z");
        assertThat(redemptions.get(1).path("reward").asText()).isEqualTo("daily_cake");
        assertThat(redemptions.get(1).path("count").asLong()).isEqualTo(1);
    }

    @Test
    void shouldNeverLetRedemptionsTakeABalanceBelowZero() {
        grant("u1", "g1", 100, T0);
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(redeem("u1", "r" + i, "coffee", T0.plusSeconds(60 + i)).path("status").asText());
        }

        assertThat(statuses).containsExactly("redeemed", "redeemed", "redeemed", "rejected", "rejected");
        assertThat(lastProfile("u1").path("wallets").path("points").asLong()).isEqualTo(10);
    }

    // ---- streaks ------------------------------------------------------------------------------

    @Test
    void shouldCountTheSecondsAroundMidnightUtcAsTwoDays() {
        JsonNode before = lesson("u1", "l1", Instant.parse("2026-06-01T23:59:59Z"));
        JsonNode after = lesson("u1", "l2", Instant.parse("2026-06-02T00:00:00Z"));

        assertThat(unlockedAchievements(before)).isEmpty();
        assertThat(unlockedAchievements(after)).containsExactly("two_days");
        assertThat(achievement(lastProfile("u1"), "two_days").path("streak_days").asInt()).isEqualTo(2);
    }

    @Test
    void shouldCountTwoInputsOnOneUtcDayOnce() {
        lesson("u1", "l1", Instant.parse("2026-06-01T00:00:00Z"));
        JsonNode second = lesson("u1", "l2", Instant.parse("2026-06-01T23:59:59Z"));

        assertThat(unlockedAchievements(second)).isEmpty();
        JsonNode progress = achievement(lastProfile("u1"), "two_days");
        assertThat(progress.path("streak_days").asInt()).isEqualTo(1);
        assertThat(progress.path("count").asLong()).isEqualTo(2);
        assertThat(progress.path("unlocked_at").isNull()).isTrue();
    }

    @Test
    void shouldResetTheRunAfterAMissingDay() {
        lesson("u1", "l1", Instant.parse("2026-06-01T12:00:00Z"));
        lesson("u1", "l2", Instant.parse("2026-06-02T12:00:00Z"));
        lesson("u1", "l3", Instant.parse("2026-06-04T12:00:00Z"));

        assertThat(achievement(lastProfile("u1"), "week_streak").path("streak_days").asInt()).isEqualTo(1);
    }

    @Test
    void shouldUnlockTheWeekStreakOnceOnTheSeventhConsecutiveDay() {
        List<JsonNode> days = new ArrayList<>();
        for (int d = 0; d < 9; d++) {
            // alternately the last and the first second of a UTC day: still consecutive days
            Instant at = Instant.parse("2026-06-01T00:00:00Z").plus(Duration.ofDays(d))
                    .plusSeconds(d % 2 == 0 ? 86_399 : 0);
            days.add(lesson("u1", "l" + d, at));
        }

        for (int d = 0; d < 9; d++) {
            assertThat(unlockedAchievements(days.get(d)).contains("week_streak")).as("day %d", d + 1)
                    .isEqualTo(d == 6);
        }
        JsonNode week = achievement(lastProfile("u1"), "week_streak");
        assertThat(week.path("unlocked_at").asText()).isEqualTo(days.get(6).path("occurred_at").asText());
        assertThat(week.path("streak_days").asInt()).isEqualTo(9);
    }

    @Test
    void shouldNotUnlockTheWeekStreakForAWeekWithAGap() {
        List<JsonNode> out = new ArrayList<>();
        int[] days = {0, 1, 2, 4, 5, 6, 7}; // seven lessons in eight days, day 3 missing
        for (int d : days) {
            out.add(lesson("u1", "l" + d, Instant.parse("2026-06-01T08:00:00Z").plus(Duration.ofDays(d))));
            out.add(lesson("u1", "l" + d + "b", Instant.parse("2026-06-01T18:00:00Z").plus(Duration.ofDays(d))));
        }

        assertThat(out).allSatisfy(o -> assertThat(unlockedAchievements(o)).doesNotContain("week_streak"));
        JsonNode week = achievement(lastProfile("u1"), "week_streak");
        assertThat(week.path("unlocked_at").isNull()).isTrue();
        assertThat(week.path("streak_days").asInt()).isEqualTo(4);
    }

    // ---- reversals -----------------------------------------------------------------------------

    @Test
    void shouldTakeBackExactlyThePurchaseTheRefundNames() {
        purchase("u1", "order-1", 10000, T0);
        purchase("u1", "order-2", 5000, T0.plusSeconds(60));

        JsonNode refund = refund("u1", "refund-1", "order-1", T0.plusSeconds(120));

        assertThat(refund.path("applied").asBoolean()).isTrue();
        assertThat(refund.path("delta")).extracting(d -> d.path("wallet").asText() + "=" + d.path("amount").asLong())
                .containsExactly("points=-100", "xp=-10");
        assertThat(refund.path("effects")).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("reversed");
            assertThat(e.path("message").asText()).contains("order-1");
        });
        JsonNode profile = lastProfile("u1");
        assertThat(profile.path("wallets").path("points").asLong()).isEqualTo(50);
        assertThat(profile.path("wallets").path("xp").asLong()).isEqualTo(10);
        assertThat(profile.path("earned").path("points").asLong()).isEqualTo(50);
    }

    @Test
    void shouldChangeNothingWhenReversingTwice() {
        purchase("u1", "order-1", 10000, T0);
        purchase("u1", "order-2", 5000, T0.plusSeconds(60));
        refund("u1", "refund-1", "order-1", T0.plusSeconds(120));
        JsonNode before = lastProfile("u1");

        JsonNode again = refund("u1", "refund-2", "order-1", T0.plusSeconds(180));

        assertThat(again.path("applied").asBoolean()).isTrue();
        assertThat(again.path("delta")).isEmpty();
        assertThat(again.path("effects")).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("reverse_skipped");
            assertThat(e.path("reason").asText()).isEqualTo("already_reversed");
        });
        JsonNode after = lastProfile("u1");
        assertThat(after.path("wallets")).isEqualTo(before.path("wallets"));
        assertThat(after.path("earned")).isEqualTo(before.path("earned"));
    }

    @Test
    void shouldChangeNothingWhenTheRefundNamesAnotherUsersOrAnUnknownPurchase() {
        purchase("u2", "order-9", 10000, T0);
        purchase("u1", "order-1", 10000, T0.plusSeconds(30));

        JsonNode foreign = refund("u1", "refund-1", "order-9", T0.plusSeconds(60));
        JsonNode unknown = refund("u1", "refund-2", "order-404", T0.plusSeconds(90));

        for (JsonNode r : List.of(foreign, unknown)) {
            assertThat(r.path("delta")).isEmpty();
            assertThat(r.path("effects")).anySatisfy(e -> {
                assertThat(e.path("type").asText()).isEqualTo("reverse_skipped");
                assertThat(e.path("reason").asText()).isEqualTo("unknown_transaction");
            });
        }
        assertThat(lastProfile("u1").path("wallets").path("points").asLong()).isEqualTo(100);
        assertThat(lastProfile("u2").path("wallets").path("points").asLong()).isEqualTo(100);
    }

    @Test
    void shouldTakeBackOnlyWhatIsLeftWhenThePurchasedPointsWereSpent() {
        purchase("u1", "order-1", 10000, T0);
        redeem("u1", "r1", "coffee", T0.plusSeconds(30));
        redeem("u1", "r2", "coffee", T0.plusSeconds(31));

        JsonNode refund = refund("u1", "refund-1", "order-1", T0.plusSeconds(60));

        assertThat(refund.path("delta").get(0).path("amount").asLong()).isEqualTo(-40);
        assertThat(refund.path("effects")).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("reverse_shortfall");
            assertThat(e.path("amount").asLong()).isEqualTo(60);
        });
        assertThat(lastProfile("u1").path("wallets").path("points").asLong()).isZero();
    }

    // ---- fixtures ------------------------------------------------------------------------------

    private static void assertRejected(JsonNode r, String reason) {
        assertThat(r.path("applied").asBoolean()).as("applied in %s", r).isFalse();
        assertThat(r.path("duplicate").asBoolean()).isFalse();
        assertThat(r.path("status").asText()).isEqualTo("rejected");
        assertThat(r.path("reason").asText()).isEqualTo(reason);
        assertThat(r.path("delta")).isEmpty();
        assertThat(r.path("unlocked")).isEmpty();
        assertThat(r.has("error")).isFalse();
    }

    private JsonNode grant(String user, String tx, long amount, Instant at) {
        return send(user, input(user, tx, at).put("event", "points.granted").set("context",
                JSON.createObjectNode().put("amount", amount)));
    }

    private JsonNode xp(String user, String tx, long amount, Instant at) {
        return send(user, input(user, tx, at).put("event", "xp.granted").set("context",
                JSON.createObjectNode().put("amount", amount)));
    }

    private JsonNode purchase(String user, String tx, long amount, Instant at) {
        return send(user, input(user, tx, at).put("event", "purchase.completed").set("context",
                JSON.createObjectNode().put("amount", amount)));
    }

    private JsonNode refund(String user, String tx, String order, Instant at) {
        return send(user, input(user, tx, at).put("event", "purchase.refunded").set("context",
                JSON.createObjectNode().put("order_transaction_id", order)));
    }

    private JsonNode lesson(String user, String tx, Instant at) {
        return send(user, input(user, tx, at).put("event", "lesson.finished"));
    }

    private JsonNode redeem(String user, String tx, String reward, Instant at) {
        return send(user, input(user, tx, at).put("kind", "redemption").put("reward", reward));
    }

    private static ObjectNode input(String user, String tx, Instant at) {
        return JSON.createObjectNode().put("user_id", user).put("transaction_id", tx).put("occurred_at", at.toString());
    }

    /** Pipes one input (record time = its event time) and returns its one outcome. */
    private JsonNode send(String user, ObjectNode input) {
        Instant at = Instant.parse(input.path("occurred_at").asText());
        events.pipeInput(new TestRecord<>(user, bytes(input), at));
        List<byte[]> out = outcomes.readValuesToList();
        assertThat(out).as("one outcome per input").hasSize(1);
        return tree(out.get(0));
    }

    private void drainProfiles() {
        for (KeyValue<String, byte[]> kv : profiles.readKeyValuesToList()) {
            profileHistory.add(tree(kv.value));
        }
    }

    private JsonNode lastProfile(String user) {
        drainProfiles();
        JsonNode last = null;
        for (JsonNode p : profileHistory) {
            if (p.path("user_id").asText().equals(user)) {
                last = p;
            }
        }
        assertThat(last).as("a profile of %s", user).isNotNull();
        return last;
    }

    private static JsonNode achievement(JsonNode profile, String key) {
        for (JsonNode a : profile.path("achievements")) {
            if (a.path("key").asText().equals(key)) {
                return a;
            }
        }
        throw new AssertionError("no achievement " + key + " in " + profile);
    }

    private static List<String> unlockedAchievements(JsonNode outcome) {
        List<String> keys = new ArrayList<>();
        outcome.path("unlocked").forEach(u -> {
            if (u.path("type").asText().equals("achievement")) {
                keys.add(u.path("key").asText());
            }
        });
        return keys;
    }

    private void publishProgram() throws Exception {
        ObjectNode record = JSON.createObjectNode();
        record.put("space", SPACE);
        record.put("version", 1);
        record.put("effective_at", Instant.EPOCH.toString());
        record.put("created_at", Instant.EPOCH.toString());
        record.set("program", new YAMLMapper().readTree(PROGRAM));
        driver.createInputTopic(Topics.CONTROL_PROGRAMS.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput(String.format("%s:%019d", SPACE, 1), JSON.writeValueAsBytes(record));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
