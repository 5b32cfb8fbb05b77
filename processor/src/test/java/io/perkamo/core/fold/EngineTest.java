package io.perkamo.core.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.perkamo.core.program.CompiledProgram;
import io.perkamo.schemas.input.Input;

class EngineTest {

    static final String SHOP = """
            wallets:
              - {key: points, name: Points}
              - {key: xp, name: Experience}
            rules:
              - key: purchase
                event: purchase.completed
                when: "context.currency == 'CZK'"
                award:
                  - {wallet: points, amount: "{{amount}} / 100"}
                  - {wallet: xp, amount: 10}
              - {key: penalty, event: order.cancelled, award: [{wallet: points, amount: "-{{points}}"}]}
              - {key: vip_bonus, event: purchase.completed, when: "has(traits.vip) && traits.vip == true",
                 award: [{wallet: points, amount: 5}]}
            """;

    private static List<String> effectTypes(Outcome o) {
        return o.effects().stream().map(e -> e.type() + ":" + e.key().orElse("") + ":" + e.reason().orElse(""))
                .toList();
    }

    @Nested
    class Events {
        @Test
        void awardsFormulaAndFixedAmountsInProgramWalletOrder() {
            // given
            Harness h = Harness.of(SHOP);
            // when
            Outcome o = h.event("t1", "purchase.completed", "{\"amount\":12950,\"currency\":\"CZK\"}");
            // then
            assertThat(o.status()).isEqualTo(Outcome.Status.APPLIED);
            assertThat(o.applied()).isTrue();
            assertThat(o.duplicate()).isFalse();
            assertThat(o.delta()).containsExactly(new WalletAmount("points", 129), new WalletAmount("xp", 10));
            assertThat(o.walletState()).containsExactly(Map.entry("points", 129L), Map.entry("xp", 10L));
            assertThat(h.state.earnedIn("points")).isEqualTo(129);
            assertThat(h.state.version()).isEqualTo(1);
            assertThat(h.state.programVersion()).isEqualTo(1);
            assertThat(effectTypes(o)).contains("rule_applied:purchase:");
        }

        @Test
        void anEventNoRuleMatchesIsStillAppliedAndRecorded() {
            Harness h = Harness.of(SHOP);
            Outcome o = h.event("t1", "page.viewed", "{}");
            assertThat(o.applied()).isTrue();
            assertThat(o.delta()).isEmpty();
            assertThat(o.walletState()).containsExactly(Map.entry("points", 0L), Map.entry("xp", 0L));
            assertThat(h.state.version()).isEqualTo(1);
            assertThat(h.state.createdAt()).contains(Instant.parse("2024-05-15T10:00:00Z"));
        }

        @Test
        void withoutAnyProgramInputsAreStillRecorded() {
            Harness h = new Harness(CompiledProgram.EMPTY, "u1");
            Outcome o = h.event("t1", "purchase.completed", "{\"amount\":100}");
            assertThat(o.applied()).isTrue();
            assertThat(o.programVersion()).isZero();
            assertThat(o.walletState()).isEmpty();
            assertThat(o.level()).isEmpty();
            assertThat(h.store).containsKey("t1");
        }

        @Test
        void aFalseConditionSkipsTheRuleWithItsReason() {
            Harness h = Harness.of(SHOP);
            Outcome o = h.event("t1", "purchase.completed", "{\"amount\":12950,\"currency\":\"EUR\"}");
            assertThat(o.applied()).isTrue();
            assertThat(o.delta()).isEmpty();
            assertThat(effectTypes(o)).contains("rule_skipped:purchase:condition_false");
        }

        @Test
        void aConditionErrorCountsAsFalseWithConditionError() {
            Harness h = Harness.of(SHOP);
            Outcome o = h.event("t1", "purchase.completed", "{\"amount\":12950}");
            assertThat(o.delta()).isEmpty();
            assertThat(effectTypes(o)).contains("rule_skipped:purchase:condition_error");
        }

        @Test
        void aFailingAwardIsSkippedWhileTheOthersAreMade() {
            Harness h = Harness.of(SHOP);
            Outcome o = h.event("t1", "purchase.completed", "{\"currency\":\"CZK\"}");
            assertThat(o.delta()).containsExactly(new WalletAmount("xp", 10));
            assertThat(o.effects()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(Effect.AWARD_SKIPPED);
                assertThat(e.reason()).contains("missing_value");
                assertThat(e.wallet()).contains("points");
            });
            assertThat(effectTypes(o)).contains("rule_applied:purchase:");
        }

        @Test
        void aRuleWhoseOnlyAwardFailsIsSkippedWithTheReason() {
            Harness h = Harness.of(SHOP);
            Outcome o = h.event("t1", "order.cancelled", "{\"points\":\"many\"}");
            assertThat(effectTypes(o)).contains("rule_skipped:penalty:non_numeric_value");
        }

        @Test
        void aDebitNeverTakesABalanceBelowZeroAndReportsTheShortfall() {
            // given 129 points
            Harness h = Harness.of(SHOP);
            h.event("t1", "purchase.completed", "{\"amount\":12950,\"currency\":\"CZK\"}");
            // when a penalty of 200 points
            Outcome o = h.event("t2", "order.cancelled", "{\"points\":200}");
            // then
            assertThat(o.delta()).containsExactly(new WalletAmount("points", -129));
            assertThat(o.walletState()).containsEntry("points", 0L);
            assertThat(h.state.earnedIn("points")).isEqualTo(129);
            assertThat(o.effects()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(Effect.DEBIT_SHORTFALL);
                assertThat(e.amount()).contains(71L);
            });
        }

        @Test
        void conditionsReadTraitsSetByIdentify() {
            Harness h = Harness.of(SHOP);
            h.identify("{\"vip\":true}");
            Outcome o = h.event("t1", "purchase.completed", "{\"amount\":100,\"currency\":\"CZK\"}");
            assertThat(o.delta()).containsExactly(new WalletAmount("points", 6), new WalletAmount("xp", 10));
        }

        @Test
        void conditionsReadWalletsAndLevelBeforeTheInput() {
            Harness h = Harness.of("""
                    wallets: [{key: xp, name: XP}]
                    levels: {wallet: xp, thresholds: [{level: 1, name: A, at: 0}, {level: 2, name: B, at: 20}]}
                    rules:
                      - {key: base, event: a.b, award: [{wallet: xp, amount: 10}]}
                      - {key: rich, event: a.b, when: "wallets['xp'] >= 20 && level == 2", award: [{wallet: xp, amount: 1}]}
                    """);
            assertThat(h.event("t1", "a.b", "{}").delta()).containsExactly(new WalletAmount("xp", 10));
            assertThat(h.event("t2", "a.b", "{}").delta()).containsExactly(new WalletAmount("xp", 10));
            assertThat(h.event("t3", "a.b", "{}").delta()).containsExactly(new WalletAmount("xp", 11));
        }
    }

    @Nested
    class Limits {
        private Harness limited(String per, int count) {
            return Harness.of("""
                    wallets: [{key: points, name: Points}]
                    rules:
                      - {key: daily, event: a.b, when: "context.ok == true", award: [{wallet: points, amount: 1}],
                         limit: {count: %d, per: %s}}
                    """.formatted(count, per));
        }

        private long earn(Harness h, String tx, String at) {
            return h.event(tx, "a.b", "{\"ok\":true}", at).delta().stream().mapToLong(WalletAmount::amount).sum();
        }

        @Test
        void pastTheDailyLimitTheInputIsAppliedButAwardsNothing() {
            Harness h = limited("day", 2);
            assertThat(earn(h, "t1", "2024-05-15T00:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t2", "2024-05-15T12:00:00Z")).isEqualTo(1);
            Outcome third = h.event("t3", "a.b", "{\"ok\":true}", "2024-05-15T23:59:59.999Z");
            assertThat(third.applied()).isTrue();
            assertThat(third.delta()).isEmpty();
            assertThat(effectTypes(third)).contains("rule_skipped:daily:limit_reached");
            assertThat(h.state.version()).isEqualTo(3);
            // UTC midnight opens a new day
            assertThat(earn(h, "t4", "2024-05-16T00:00:00Z")).isEqualTo(1);
        }

        @Test
        void skippedInputsDoNotCountTowardTheLimit() {
            Harness h = limited("day", 1);
            h.event("t1", "a.b", "{\"ok\":false}", "2024-05-15T08:00:00Z");
            h.event("t2", "a.b", "{}", "2024-05-15T09:00:00Z");
            assertThat(earn(h, "t3", "2024-05-15T10:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t4", "2024-05-15T11:00:00Z")).isZero();
        }

        @Test
        void weeksAreIsoWeeksStartingMonday() {
            Harness h = limited("week", 1);
            assertThat(earn(h, "t1", "2024-05-13T00:00:00Z")).isEqualTo(1); // Monday
            assertThat(earn(h, "t2", "2024-05-19T23:59:59Z")).isZero();     // Sunday, same week
            assertThat(earn(h, "t3", "2024-05-20T00:00:00Z")).isEqualTo(1); // next Monday
        }

        @Test
        void monthsEndAtTheLastDay() {
            Harness h = limited("month", 1);
            assertThat(earn(h, "t1", "2024-01-31T23:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t2", "2024-01-31T23:59:59Z")).isZero();
            assertThat(earn(h, "t3", "2024-02-01T00:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t4", "2024-02-29T23:59:59Z")).isZero();
            assertThat(earn(h, "t5", "2024-03-01T00:00:00Z")).isEqualTo(1);
        }

        @Test
        void lifetimeLimitsNeverReset() {
            Harness h = limited("lifetime", 1);
            assertThat(earn(h, "t1", "2024-01-01T00:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t2", "2025-06-01T00:00:00Z")).isZero();
            assertThat(h.state.limits().get("daily").counters()).singleElement()
                    .extracting(ProfileState.LimitCounter::count).isEqualTo(1L);
        }

        @Test
        void aLateInputOfAnEarlierDayDoesNotDisturbTodaysCounter() {
            Harness h = limited("day", 1);
            assertThat(earn(h, "t1", "2024-05-16T10:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t2", "2024-05-15T10:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t3", "2024-05-16T11:00:00Z")).isZero();
        }

        @Test
        void lateInputsAreCappedInTheirOwnWindow() {
            // given: a limit of 1 a day, used on 05-16
            Harness h = limited("day", 1);
            earn(h, "t0", "2024-05-16T10:00:00Z");
            // when: five inputs of 05-15 arrive late
            List<Long> late = new java.util.ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                late.add(earn(h, "t" + i, "2024-05-15T1" + i + ":00:00Z"));
            }
            // then: only the first of them credits
            assertThat(late).containsExactly(1L, 0L, 0L, 0L, 0L);
            assertThat(h.state.balance("points")).isEqualTo(2);
            assertThat(h.state.limits().get("daily").counters()).extracting(c -> c.periodStart() + "=" + c.count())
                    .containsExactly("2024-05-15T00:00:00Z=1", "2024-05-16T00:00:00Z=1");
        }

        @Test
        void aLateInputIntoAWindowWithRoomCreditsAndIsCounted() {
            // given: 2 a day; 05-15 used once, then 05-16 once
            Harness h = limited("day", 2);
            earn(h, "t1", "2024-05-15T10:00:00Z");
            earn(h, "t2", "2024-05-16T10:00:00Z");
            // when / then: 05-15 has room for one more, then none
            assertThat(earn(h, "t3", "2024-05-15T20:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t4", "2024-05-15T21:00:00Z")).isZero();
            // and 05-16's own count is untouched
            assertThat(earn(h, "t5", "2024-05-16T11:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t6", "2024-05-16T12:00:00Z")).isZero();
        }

        @Test
        void lateInputsCountInTheirOwnIsoWeek() {
            Harness h = limited("week", 1);
            assertThat(earn(h, "t1", "2024-05-20T00:00:00Z")).isEqualTo(1); // Monday of week 21
            assertThat(earn(h, "t2", "2024-05-19T23:59:59Z")).isEqualTo(1); // Sunday of week 20, late
            assertThat(earn(h, "t3", "2024-05-13T00:00:00Z")).isZero();     // Monday of week 20, late
            assertThat(earn(h, "t4", "2024-05-26T23:00:00Z")).isZero();     // Sunday of week 21
        }

        @Test
        void lateInputsCountInTheirOwnMonth() {
            Harness h = limited("month", 1);
            assertThat(earn(h, "t1", "2024-03-01T00:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t2", "2024-02-29T23:59:59Z")).isEqualTo(1); // late, February
            assertThat(earn(h, "t3", "2024-02-01T00:00:00Z")).isZero();     // late, February again
            assertThat(earn(h, "t4", "2024-01-15T00:00:00Z")).isEqualTo(1); // late, January
            assertThat(earn(h, "t5", "2024-03-31T23:59:59Z")).isZero();
        }

        @Test
        void aLateInputIsCountedEvenFarBackWhileFewerThan32WindowsAreKept() {
            Harness h = limited("day", 1);
            assertThat(earn(h, "t1", "2024-05-16T10:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t2", "2021-01-01T10:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t3", "2021-01-01T11:00:00Z")).isZero();
        }

        @Test
        void keepsThe32LatestWindowsAndRefusesInputsOlderThanAllOfThem() {
            // given: 2 a day, used once on each of 32 days (2024-01-01 .. 2024-02-01)
            Harness h = limited("day", 2);
            Instant day = Instant.parse("2024-01-01T12:00:00Z");
            for (int i = 0; i < 32; i++) {
                earn(h, "d" + i, day.plusSeconds(86_400L * i).toString());
            }
            assertThat(h.state.limits().get("daily").counters()).hasSize(ProfileState.LimitWindows.KEPT);
            // when / then: a kept window still has room
            assertThat(earn(h, "k1", "2024-01-01T20:00:00Z")).isEqualTo(1);
            // an input older than every kept window is refused: its window's count is not known
            Outcome beyond = h.event("b1", "a.b", "{\"ok\":true}", "2023-12-31T12:00:00Z");
            assertThat(beyond.applied()).isTrue();
            assertThat(beyond.delta()).isEmpty();
            assertThat(beyond.effects()).filteredOn(e -> e.reason().equals(Optional.of(Engine.LIMIT_REACHED)))
                    .singleElement().satisfies(e -> assertThat(e.message()).hasValueSatisfying(d ->
                            assertThat(d).contains("older than the 32 kept")));
            // a newer window drops the oldest (2024-01-01), whose inputs are then refused too
            assertThat(earn(h, "n1", "2024-02-02T12:00:00Z")).isEqualTo(1);
            List<ProfileState.LimitCounter> kept = h.state.limits().get("daily").counters();
            assertThat(kept).hasSize(32);
            assertThat(kept.get(0).periodStart()).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
            assertThat(kept.get(31).periodStart()).isEqualTo(Instant.parse("2024-02-02T00:00:00Z"));
            assertThat(earn(h, "b2", "2024-01-01T21:00:00Z")).isZero();
            assertThat(earn(h, "k2", "2024-01-02T21:00:00Z")).isEqualTo(1);
        }

        @Test
        void aChangedLimitPeriodStartsCountingOver() {
            // given: a daily limit used today
            Harness h = limited("day", 1);
            earn(h, "t1", "2024-05-15T10:00:00Z");
            // when: the limit becomes weekly
            h.program = Harness.program("""
                    wallets: [{key: points, name: Points}]
                    rules:
                      - {key: daily, event: a.b, when: "context.ok == true", award: [{wallet: points, amount: 1}],
                         limit: {count: 1, per: week}}
                    """, 2);
            // then: the week starts from zero and only its counter is kept
            assertThat(earn(h, "t2", "2024-05-15T11:00:00Z")).isEqualTo(1);
            assertThat(earn(h, "t3", "2024-05-16T11:00:00Z")).isZero();
            assertThat(h.state.limits().get("daily").counters()).extracting(ProfileState.LimitCounter::period)
                    .containsExactly(io.perkamo.core.program.Period.WEEK);
        }
    }

    @Nested
    class LevelsAndPerks {
        static final String LEVELS = """
                wallets: [{key: xp, name: XP}, {key: points, name: Points}]
                levels:
                  wallet: xp
                  thresholds:
                    - {level: 1, name: Bronze, at: 0, perks: [starter]}
                    - {level: 2, name: Silver, at: 100, perks: [free_shipping]}
                    - {level: 3, name: Gold, at: 500, perks: [lounge]}
                rules:
                  - {key: xp, event: a.b, award: [{wallet: xp, amount: "{{xp}}"}], unlock: [member]}
                perks:
                  - {key: starter, name: Starter}
                  - {key: free_shipping, name: Free shipping}
                  - {key: lounge, name: Lounge}
                  - {key: member, name: Member}
                """;

        @Test
        void progressIsTheShareOfTheWayToTheNextLevel() {
            Harness h = Harness.of(LEVELS);
            Outcome o = h.event("t1", "a.b", "{\"xp\":50}");
            assertThat(o.level()).hasValueSatisfying(l -> {
                assertThat(l.wallet()).isEqualTo("xp");
                assertThat(l.level()).isEqualTo(1);
                assertThat(l.name()).isEqualTo("Bronze");
                assertThat(l.current()).isEqualTo(50);
                assertThat(l.currentLevelAt()).isZero();
                assertThat(l.nextLevelAt()).contains(100L);
                assertThat(l.progress()).isEqualTo(0.5);
            });
            assertThat(o.leveledUp()).isFalse();
        }

        @Test
        void theTopLevelHasNoNextLevelAndFullProgress() {
            Harness h = Harness.of(LEVELS);
            Outcome o = h.event("t1", "a.b", "{\"xp\":900}");
            assertThat(o.level()).hasValueSatisfying(l -> {
                assertThat(l.level()).isEqualTo(3);
                assertThat(l.nextLevelAt()).isEmpty();
                assertThat(l.progress()).isEqualTo(1.0);
            });
        }

        @Test
        void skippingLevelsUnlocksEveryPassedThresholdsPerks() {
            Harness h = Harness.of(LEVELS);
            h.event("t1", "a.b", "{\"xp\":10}");
            Outcome o = h.event("t2", "a.b", "{\"xp\":600}");
            assertThat(o.leveledUp()).isTrue();
            assertThat(o.unlocked()).extracting(Unlock::type, Unlock::key, Unlock::name).containsExactly(
                    tuple(Unlock.Type.PERK, "free_shipping", "Free shipping"),
                    tuple(Unlock.Type.PERK, "lounge", "Lounge"));
            assertThat(effectTypes(o)).contains("level_changed:Gold:");
            assertThat(h.state.level()).isEqualTo(3);
        }

        @Test
        void perksUnlockOnlyOnce() {
            Harness h = Harness.of(LEVELS);
            Outcome first = h.event("t1", "a.b", "{\"xp\":1}");
            Outcome second = h.event("t2", "a.b", "{\"xp\":1}");
            assertThat(first.unlocked()).extracting(Unlock::key).containsExactly("member", "starter");
            assertThat(second.unlocked()).isEmpty();
            assertThat(h.state.perks()).containsOnlyKeys("member", "starter")
                    .containsEntry("member", Instant.parse("2024-05-15T10:00:00Z"));
        }

        @Test
        void theBaseLevelIsNotALevelUp() {
            Harness h = Harness.of(LEVELS);
            Outcome o = h.event("t1", "a.b", "{\"xp\":0}");
            assertThat(o.leveledUp()).isFalse();
            assertThat(h.state.level()).isEqualTo(1);
        }

        @Test
        void aBalanceBasedLevelGoesDownWithTheBalance() {
            Harness h = Harness.of(LEVELS.replace("wallet: xp\n", "wallet: xp\n  basis: balance\n"));
            h.event("t1", "a.b", "{\"xp\":150}");
            assertThat(h.state.level()).isEqualTo(2);
            Outcome o = h.event("t2", "a.b", "{\"xp\":-100}");
            assertThat(o.level()).hasValueSatisfying(l -> assertThat(l.level()).isEqualTo(1));
            assertThat(o.leveledUp()).isFalse();
            assertThat(h.state.perks()).containsKey("free_shipping");
        }

        @Test
        void anEarnedLevelNeverDrops() {
            Harness h = Harness.of(LEVELS);
            h.event("t1", "a.b", "{\"xp\":150}");
            Outcome o = h.event("t2", "a.b", "{\"xp\":-100}");
            assertThat(o.level()).hasValueSatisfying(l -> {
                assertThat(l.level()).isEqualTo(2);
                assertThat(l.current()).isEqualTo(150);
            });
        }
    }

    @Nested
    class Identify {
        @Test
        void mergesTopLevelKeysAndRemovesNulls() {
            Harness h = Harness.of(SHOP);
            h.identify("{\"plan\":\"free\",\"name\":\"Ann\",\"address\":{\"city\":\"Brno\",\"zip\":\"60200\"}}");
            Outcome o = h.identify("{\"plan\":\"pro\",\"name\":null,\"address\":{\"city\":\"Praha\"}}");
            assertThat(o.applied()).isTrue();
            assertThat(o.kind()).isEqualTo("identify");
            assertThat(h.state.traits()).isEqualTo(Harness.json("{\"plan\":\"pro\",\"address\":{\"city\":\"Praha\"}}"));
            assertThat(h.state.version()).isEqualTo(2);
        }

        @Test
        void doesNotMutateThePreviousStatesTraits() {
            Harness h = Harness.of(SHOP);
            h.identify("{\"plan\":\"free\"}");
            ProfileState before = h.state;
            h.identify("{\"plan\":\"pro\"}");
            assertThat(before.traits()).isEqualTo(Harness.json("{\"plan\":\"free\"}"));
        }

        @Test
        void withoutTransactionIdIsNeverDeduplicated() {
            Harness h = Harness.of(SHOP);
            Decision d1 = h.send(new Input.Identify("u1", Optional.empty(), Harness.json("{\"a\":1}"), Instant.EPOCH));
            Decision d2 = h.send(new Input.Identify("u1", Optional.empty(), Harness.json("{\"a\":1}"), Instant.EPOCH));
            assertThat(d1.writes()).isEmpty();
            assertThat(d2.outcome().applied()).isTrue();
            assertThat(h.state.version()).isEqualTo(2);
        }

        @Test
        void withTransactionIdIsDeduplicated() {
            Harness h = Harness.of(SHOP);
            h.send(new Input.Identify("u1", Optional.of("i1"), Harness.json("{\"a\":1}"), Instant.EPOCH));
            Decision d2 = h.send(new Input.Identify("u1", Optional.of("i1"), Harness.json("{\"a\":1}"), Instant.EPOCH));
            assertThat(d2.outcome().duplicate()).isTrue();
            assertThat(h.state.version()).isEqualTo(1);
        }
    }

    @Nested
    class Dedup {
        @Test
        void aRetryReturnsTheOriginalDeltaWithTheCurrentWalletState() {
            // given
            Harness h = Harness.of(SHOP);
            Outcome original = h.event("t1", "purchase.completed", "{\"amount\":1000,\"currency\":\"CZK\"}",
                    "2024-05-15T10:00:00Z");
            h.event("t2", "purchase.completed", "{\"amount\":500,\"currency\":\"CZK\"}");
            ProfileState before = h.state;
            // when the SDK retries t1, re-stamping occurred_at and reordering the context keys
            Decision retry = h.send(new Input.Event("u1", "t1", "purchase.completed",
                    Harness.json("{\"currency\":\"CZK\",\"amount\":1000.0}"), Instant.parse("2024-05-15T10:00:07Z")));
            // then
            Outcome o = retry.outcome();
            assertThat(o.applied()).isFalse();
            assertThat(o.duplicate()).isTrue();
            assertThat(o.status()).isEqualTo(Outcome.Status.APPLIED);
            assertThat(o.delta()).isEqualTo(original.delta());
            assertThat(o.walletState()).containsEntry("points", 15L).containsEntry("xp", 20L);
            assertThat(retry.state()).isSameAs(before);
            assertThat(retry.writes()).isEmpty();
        }

        @Test
        void aDifferentPayloadWithTheSameTransactionIdIsAConflict() {
            Harness h = Harness.of(SHOP);
            h.event("t1", "purchase.completed", "{\"amount\":1000,\"currency\":\"CZK\"}");
            ProfileState before = h.state;
            Decision d = h.send(new Input.Event("u1", "t1", "purchase.completed",
                    Harness.json("{\"amount\":9999,\"currency\":\"CZK\"}"), Instant.parse("2024-05-15T10:00:00Z")));
            assertThat(d.outcome().status()).isEqualTo(Outcome.Status.REJECTED);
            assertThat(d.outcome().applied()).isFalse();
            assertThat(d.outcome().duplicate()).isFalse();
            assertThat(d.outcome().error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo("idempotency_conflict"));
            assertThat(d.outcome().delta()).isEmpty();
            assertThat(d.state()).isSameAs(before);
            assertThat(d.writes()).isEmpty();
        }

        @Test
        void aDifferentEventNameIsAConflictToo() {
            Harness h = Harness.of(SHOP);
            h.event("t1", "a.b", "{}");
            assertThat(h.event("t1", "a.c", "{}").error()).isPresent();
        }

        @Test
        void aFreshInputWritesItsDecision() {
            Harness h = Harness.of(SHOP);
            Decision d = h.send(new Input.Event("u1", "t1", "purchase.completed",
                    Harness.json("{\"amount\":1000,\"currency\":\"CZK\"}"), Instant.parse("2024-05-15T10:00:00Z")));
            assertThat(d.writes()).containsOnlyKeys("t1");
            PriorDecision p = d.writes().get("t1");
            assertThat(p.fingerprint()).hasSize(64);
            assertThat(p.delta()).isEqualTo(d.outcome().delta());
            assertThat(p.status()).isEqualTo(Outcome.Status.APPLIED);
            assertThat(p.programVersion()).isEqualTo(1);
            assertThat(p.reversed()).isFalse();
        }
    }
}
