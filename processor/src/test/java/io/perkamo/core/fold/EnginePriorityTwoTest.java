package io.perkamo.core.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EnginePriorityTwoTest {

    private static List<String> effects(Outcome o) {
        return o.effects().stream().map(e -> e.type() + ":" + e.key().orElse("") + ":" + e.reason().orElse(""))
                .toList();
    }

    @Nested
    class Achievements {
        static final String PROGRAM = """
                wallets: [{key: points, name: Points}]
                perks: [{key: scholar, name: Scholar}]
                achievements:
                  - {key: three_lessons, name: Three lessons, event: lesson.finished, count: 3,
                     award: [{wallet: points, amount: 100}], unlock: [scholar]}
                  - {key: streak, name: 3-day streak, event: lesson.finished, streak: {days: 3}}
                """;

        @Test
        void aCountAchievementUnlocksOnceAtTheNthInputAndAwards() {
            Harness h = Harness.of(PROGRAM);
            h.event("t1", "lesson.finished", "{}", "2024-05-01T10:00:00Z");
            h.event("t2", "lesson.finished", "{}", "2024-05-01T11:00:00Z");
            Outcome third = h.event("t3", "lesson.finished", "{}", "2024-05-01T12:00:00Z");
            Outcome fourth = h.event("t4", "lesson.finished", "{}", "2024-05-01T13:00:00Z");
            assertThat(third.unlocked()).extracting(Unlock::type, Unlock::key).containsExactly(
                    tuple(Unlock.Type.ACHIEVEMENT, "three_lessons"), tuple(Unlock.Type.PERK, "scholar"));
            assertThat(third.delta()).containsExactly(new WalletAmount("points", 100));
            assertThat(fourth.unlocked()).isEmpty();
            assertThat(fourth.delta()).isEmpty();
            assertThat(h.state.achievements().get("three_lessons").count()).isEqualTo(4);
            assertThat(h.state.achievements().get("three_lessons").unlockedAt())
                    .contains(Instant.parse("2024-05-01T12:00:00Z"));
        }

        @Test
        void aStreakNeedsConsecutiveUtcDaysAndCountsADayOnce() {
            Harness h = Harness.of(PROGRAM);
            h.event("t1", "lesson.finished", "{}", "2024-05-01T23:59:59Z");
            h.event("t2", "lesson.finished", "{}", "2024-05-02T00:00:00Z");
            Outcome sameDay = h.event("t3", "lesson.finished", "{}", "2024-05-02T20:00:00Z");
            assertThat(sameDay.unlocked()).extracting(Unlock::key).doesNotContain("streak");
            assertThat(h.state.achievements().get("streak").streakDays()).isEqualTo(2);
            Outcome third = h.event("t4", "lesson.finished", "{}", "2024-05-03T08:00:00Z");
            assertThat(third.unlocked()).extracting(Unlock::key).contains("streak");
        }

        @Test
        void aMissingDayResetsTheStreak() {
            Harness h = Harness.of(PROGRAM);
            h.event("t1", "lesson.finished", "{}", "2024-05-01T10:00:00Z");
            h.event("t2", "lesson.finished", "{}", "2024-05-02T10:00:00Z");
            h.event("t3", "lesson.finished", "{}", "2024-05-04T10:00:00Z");
            Outcome o = h.event("t4", "lesson.finished", "{}", "2024-05-05T10:00:00Z");
            assertThat(h.state.achievements().get("streak").streakDays()).isEqualTo(2);
            assertThat(o.unlocked()).extracting(Unlock::key).doesNotContain("streak");
            assertThat(h.state.achievements().get("streak").lastDay())
                    .contains((int) java.time.LocalDate.parse("2024-05-05").toEpochDay());
        }
    }

    @Nested
    class Reverse {
        static final String PROGRAM = """
                wallets: [{key: points, name: Points}, {key: xp, name: XP}]
                levels: {wallet: points, basis: balance, thresholds: [{level: 1, name: A, at: 0}, {level: 2, name: B, at: 100}]}
                rules:
                  - {key: buy, event: purchase.completed, award: [{wallet: points, amount: "{{amount}}"}, {wallet: xp, amount: 5}]}
                  - {key: spend, event: points.spent, award: [{wallet: points, amount: "-{{amount}}"}]}
                  - {key: refund, event: purchase.refunded, reverse: "{{order.tx}}"}
                """;

        @Test
        void lowersAnEarnedLevelWhenItsCreditsAreTakenBack() {
            // given a level on lifetime credits, reached by one purchase
            Harness h = Harness.of(PROGRAM.replace("basis: balance", "basis: earned"));
            h.event("o1", "purchase.completed", "{\"amount\":150}");
            assertThat(h.state.level()).isEqualTo(2);
            // when that purchase is refunded
            Outcome o = h.send(new io.perkamo.schemas.input.Input.Event("u1", "r1", "purchase.refunded",
                    Harness.json("{\"order\":{\"tx\":\"o1\"}}"), Instant.parse("2024-05-16T10:00:00Z"))).outcome();
            // then the basis dropped below the threshold, and so did the level
            assertThat(h.state.earnedIn("points")).isZero();
            assertThat(o.level()).hasValueSatisfying(l -> assertThat(l.level()).isEqualTo(1));
            assertThat(o.leveledUp()).isFalse();
        }

        @Test
        void takesBackExactlyTheCreditsOfTheReferencedInput() {
            // given
            Harness h = Harness.of(PROGRAM);
            h.event("o1", "purchase.completed", "{\"amount\":150}");
            h.event("o2", "purchase.completed", "{\"amount\":30}");
            assertThat(h.state.level()).isEqualTo(2);
            // when
            Decision d = h.send(new io.perkamo.schemas.input.Input.Event("u1", "r1", "purchase.refunded",
                    Harness.json("{\"order\":{\"tx\":\"o1\"}}"), Instant.parse("2024-05-16T10:00:00Z")));
            // then
            Outcome o = d.outcome();
            assertThat(o.delta()).containsExactly(new WalletAmount("points", -150), new WalletAmount("xp", -5));
            assertThat(o.walletState()).containsEntry("points", 30L).containsEntry("xp", 5L);
            assertThat(h.state.earnedIn("points")).isEqualTo(30);
            assertThat(o.level()).hasValueSatisfying(l -> assertThat(l.level()).isEqualTo(1));
            assertThat(d.writes()).containsOnlyKeys("r1", "o1");
            assertThat(d.writes().get("o1").reversed()).isTrue();
            assertThat(effects(o)).contains("reversed:refund:", "rule_applied:refund:");
        }

        @Test
        void reversingTwiceChangesNothingAndSaysSo() {
            Harness h = Harness.of(PROGRAM);
            h.event("o1", "purchase.completed", "{\"amount\":150}");
            h.event("r1", "purchase.refunded", "{\"order\":{\"tx\":\"o1\"}}");
            ProfileState before = h.state;
            Outcome again = h.event("r2", "purchase.refunded", "{\"order\":{\"tx\":\"o1\"}}");
            assertThat(again.applied()).isTrue();
            assertThat(again.delta()).isEmpty();
            assertThat(effects(again)).contains("reverse_skipped:refund:already_reversed");
            assertThat(h.state.wallets()).isEqualTo(before.wallets());
        }

        @Test
        void reversingAnUnknownTransactionChangesNothingAndSaysSo() {
            Harness h = Harness.of(PROGRAM);
            h.event("o1", "purchase.completed", "{\"amount\":150}");
            Outcome o = h.event("r1", "purchase.refunded", "{\"order\":{\"tx\":\"nope\"}}");
            assertThat(o.delta()).isEmpty();
            assertThat(effects(o)).contains("reverse_skipped:refund:unknown_transaction");
            Outcome missing = h.event("r2", "purchase.refunded", "{}");
            assertThat(effects(missing)).contains("reverse_skipped:refund:missing_value");
        }

        @Test
        void aSpentBalanceIsNeverTakenBelowZeroAndTheShortfallIsReported() {
            Harness h = Harness.of(PROGRAM);
            h.event("o1", "purchase.completed", "{\"amount\":150}");
            h.event("s1", "points.spent", "{\"amount\":120}");
            Outcome o = h.event("r1", "purchase.refunded", "{\"order\":{\"tx\":\"o1\"}}");
            assertThat(o.delta()).containsExactly(new WalletAmount("points", -30), new WalletAmount("xp", -5));
            assertThat(o.walletState()).containsEntry("points", 0L);
            assertThat(h.state.earnedIn("points")).isZero();
            assertThat(o.effects()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(Effect.REVERSE_SHORTFALL);
                assertThat(e.wallet()).contains("points");
                assertThat(e.amount()).contains(120L);
            });
        }

        @Test
        void aRetriedReversalIsADuplicateNotASecondReversal() {
            Harness h = Harness.of(PROGRAM);
            h.event("o1", "purchase.completed", "{\"amount\":150}");
            h.event("o2", "purchase.completed", "{\"amount\":150}");
            h.event("r1", "purchase.refunded", "{\"order\":{\"tx\":\"o1\"}}");
            Outcome retry = h.event("r1", "purchase.refunded", "{\"order\":{\"tx\":\"o1\"}}");
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.delta()).containsExactly(new WalletAmount("points", -150), new WalletAmount("xp", -5));
            assertThat(h.state.balance("points")).isEqualTo(150);
        }
    }

    @Nested
    class Redemptions {
        static final String PROGRAM = """
                wallets: [{key: points, name: Points}, {key: xp, name: XP}]
                levels: {wallet: xp, thresholds: [{level: 1, name: A, at: 0}, {level: 2, name: B, at: 100}]}
                rules:
                  - {key: earn, event: a.b, award: [{wallet: points, amount: "{{points}}"}, {wallet: xp, amount: "{{xp}}"}]}
                perks: [{key: coffee_voucher, name: Coffee voucher}]
                rewards:
                  - {key: coffee, name: Free coffee, cost: {wallet: points, amount: 500}, min_level: 2,
                     limit: {count: 1, per: day}, unlock: [coffee_voucher]}
                  - {key: sticker, name: Sticker, cost: {wallet: points, amount: 10}}
                """;

        @Test
        void aRedemptionDebitsTheCostAndUnlocks() {
            Harness h = Harness.of(PROGRAM);
            h.event("e1", "a.b", "{\"points\":600,\"xp\":100}");
            Decision d = h.send(new io.perkamo.schemas.input.Input.Redemption("u1", "x1", "coffee", Harness.json("{}"),
                    Instant.parse("2024-05-15T10:00:00Z")));
            Outcome o = d.outcome();
            assertThat(o.status()).isEqualTo(Outcome.Status.REDEEMED);
            assertThat(o.applied()).isTrue();
            assertThat(o.reward()).contains("coffee");
            assertThat(o.delta()).containsExactly(new WalletAmount("points", -500));
            assertThat(o.unlocked()).extracting(Unlock::type, Unlock::key).containsExactly(
                    tuple(Unlock.Type.REWARD, "coffee"), tuple(Unlock.Type.PERK, "coffee_voucher"));
            assertThat(h.state.balance("points")).isEqualTo(100);
            assertThat(h.state.earnedIn("points")).isEqualTo(600);
            assertThat(h.state.redemptions().get("coffee").count()).isEqualTo(1);
            assertThat(d.writes().get("x1").status()).isEqualTo(Outcome.Status.REDEEMED);
        }

        @Test
        void rejectsWithoutEnoughBalanceAndARetryGetsTheSameRejection() {
            Harness h = Harness.of(PROGRAM);
            h.event("e1", "a.b", "{\"points\":5,\"xp\":0}");
            ProfileState before = h.state;
            Outcome o = h.redeem("x1", "sticker");
            assertThat(o.status()).isEqualTo(Outcome.Status.REJECTED);
            assertThat(o.reason()).contains("insufficient_balance");
            assertThat(o.applied()).isFalse();
            assertThat(h.state).isEqualTo(before);
            assertThat(h.store.get("x1").reason()).contains("insufficient_balance");
            // even after earning enough, the retry answers as the original did
            h.event("e2", "a.b", "{\"points\":100,\"xp\":0}");
            Outcome retry = h.redeem("x1", "sticker");
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.status()).isEqualTo(Outcome.Status.REJECTED);
            assertThat(retry.reason()).contains("insufficient_balance");
            assertThat(h.state.balance("points")).isEqualTo(105);
        }

        @Test
        void rejectsBelowTheMinimumLevel() {
            Harness h = Harness.of(PROGRAM);
            h.event("e1", "a.b", "{\"points\":1000,\"xp\":10}");
            assertThat(h.redeem("x1", "coffee").reason()).contains("level_required");
        }

        @Test
        void rejectsPastTheRewardLimit() {
            Harness h = Harness.of(PROGRAM);
            h.event("e1", "a.b", "{\"points\":2000,\"xp\":100}");
            assertThat(h.redeem("x1", "coffee", "2024-05-15T09:00:00Z").status()).isEqualTo(Outcome.Status.REDEEMED);
            assertThat(h.redeem("x2", "coffee", "2024-05-15T23:00:00Z").reason()).contains("limit_reached");
            assertThat(h.redeem("x3", "coffee", "2024-05-16T00:00:00Z").status()).isEqualTo(Outcome.Status.REDEEMED);
            assertThat(h.state.redemptions().get("coffee").count()).isEqualTo(2);
        }

        @Test
        void aLateRedemptionIsLimitedInItsOwnDay() {
            // given: coffee (1 a day) redeemed on 05-16
            Harness h = Harness.of(PROGRAM);
            h.event("e1", "a.b", "{\"points\":2000,\"xp\":100}");
            assertThat(h.redeem("x1", "coffee", "2024-05-16T09:00:00Z").status()).isEqualTo(Outcome.Status.REDEEMED);
            // when / then: 05-15 has room for one, arriving late; a second one of 05-15 is refused
            assertThat(h.redeem("x2", "coffee", "2024-05-15T09:00:00Z").status()).isEqualTo(Outcome.Status.REDEEMED);
            assertThat(h.redeem("x3", "coffee", "2024-05-15T10:00:00Z").reason()).contains("limit_reached");
            assertThat(h.redeem("x4", "coffee", "2024-05-16T10:00:00Z").reason()).contains("limit_reached");
            assertThat(h.state.balance("points")).isEqualTo(1000);
            assertThat(h.state.limits().get("reward:coffee").counters()).extracting(ProfileState.LimitCounter::count)
                    .containsExactly(1L, 1L);
        }

        @Test
        void rejectsAnUnknownReward() {
            Harness h = Harness.of(PROGRAM);
            Outcome o = h.redeem("x1", "yacht");
            assertThat(o.status()).isEqualTo(Outcome.Status.REJECTED);
            assertThat(o.reason()).contains("unknown_reward");
            assertThat(h.store).containsKey("x1");
        }
    }
}
