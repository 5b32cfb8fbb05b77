package io.perkamo.core.program;

import static io.perkamo.core.program.ProgramsTest.demoText;
import static io.perkamo.core.program.ProgramsTest.parsed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

import io.perkamo.core.program.ProgramDiff.Action;
import io.perkamo.core.program.ProgramDiff.Change;
import io.perkamo.core.program.ProgramDiff.Item;
import io.perkamo.core.program.ProgramDiff.Kind;

class ProgramDiffTest {

    @Test
    void theSameProgramInAnotherSyntaxIsNoChange() throws Exception {
        // given the demo program, and the same as canonical JSON
        ProgramDefinition yaml = parsed(demoText());
        ProgramDefinition json = parsed(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(yaml.toJson()));
        // when
        ProgramDiff diff = ProgramDiff.between(yaml, json);
        // then
        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.removals()).isEmpty();
        assertThat(diff.lines()).isEmpty();
    }

    @Test
    void aFirstProgramIsAllAdditions() {
        // given no active program
        ProgramDefinition candidate = parsed("""
                wallets: [{key: points, name: Points}]
                levels: {wallet: points, thresholds: [{level: 1, name: Bronze, at: 0}]}
                rules: [{key: welcome, event: user.registered}]
                """);
        // when
        ProgramDiff diff = ProgramDiff.between(ProgramDefinition.EMPTY, candidate);
        // then
        assertThat(diff.changes()).extracting(Change::kind, Change::key, Change::action).containsExactly(
                tuple(Kind.WALLET, "points", Action.ADDED),
                tuple(Kind.LEVEL, "1", Action.ADDED),
                tuple(Kind.RULE, "welcome", Action.ADDED));
        assertThat(diff.removals()).isEmpty();
        assertThat(diff.lines()).containsExactly("wallet `points` added", "level 1 added", "rule `welcome` added");
    }

    @Test
    void listsAddedRemovedAndChangedItemsOfEveryKind() {
        // given the demo program as active
        ProgramDefinition active = parsed(demoText());
        // and a candidate that drops, adds and edits something of every kind
        ProgramDefinition candidate = parsed(demoText()
                .replace("  - {key: xp, name: Experience}\n", "  - {key: xp, name: Experience}\n  - {key: gems, name: Gems}\n")
                .replace("basis: earned", "basis: balance")
                .replace("{level: 2, name: Silver, at: 100, perks: [free_shipping]}", "{level: 2, name: Silver, at: 150, perks: [free_shipping]}")
                .replace("    - {level: 3, name: Gold, at: 500, perks: [priority_support]}\n", "")
                .replace("    limit: {count: 10, per: day}\n", "")
                .replace("  - key: refund\n    event: purchase.refunded\n    label: Refund\n    reverse: \"{{order_transaction_id}}\"\n",
                        "  - {key: review, event: review.posted, award: [{wallet: gems, amount: 1}]}\n")
                .replace("  - {key: coffee_voucher, name: Coffee voucher}\n", "  - {key: coffee_voucher, name: Coffee coupon}\n")
                .replace("  - {key: week_streak, name: 7-day streak, event: lesson.finished, streak: {days: 7}}\n", "")
                .replace("cost: {wallet: points, amount: 500}", "cost: {wallet: points, amount: 400}"));
        // when
        ProgramDiff diff = ProgramDiff.between(active, candidate);
        // then
        assertThat(diff.changes()).extracting(Change::kind, Change::key, Change::action).containsExactly(
                tuple(Kind.WALLET, "gems", Action.ADDED),
                tuple(Kind.LEVELS, "levels", Action.CHANGED),
                tuple(Kind.LEVEL, "2", Action.CHANGED),
                tuple(Kind.LEVEL, "3", Action.REMOVED),
                tuple(Kind.RULE, "purchase_points", Action.CHANGED),
                tuple(Kind.RULE, "refund", Action.REMOVED),
                tuple(Kind.RULE, "review", Action.ADDED),
                tuple(Kind.PERK, "coffee_voucher", Action.CHANGED),
                tuple(Kind.ACHIEVEMENT, "week_streak", Action.REMOVED),
                tuple(Kind.REWARD, "coffee", Action.CHANGED));
        assertThat(diff.removals()).containsExactly(
                new Item(Kind.LEVEL, "3"), new Item(Kind.RULE, "refund"), new Item(Kind.ACHIEVEMENT, "week_streak"));
        assertThat(diff.lines()).contains(
                "levels changed: basis: \"earned\" -> \"balance\"",
                "level 2 changed: at: 100 -> 150",
                "level 3 removed",
                "rule `purchase_points` changed: limit: {\"count\":10,\"per\":\"day\"} -> (none)",
                "rule `refund` removed",
                "perk `coffee_voucher` changed: name: \"Coffee voucher\" -> \"Coffee coupon\"",
                "reward `coffee` changed: cost: {\"wallet\":\"points\",\"amount\":500} -> {\"wallet\":\"points\",\"amount\":400}");
    }

    @Test
    void aRenamedKeyIsARemovalAndAnAddition() {
        ProgramDefinition active = parsed("wallets: [{key: points, name: Points}]");
        ProgramDefinition candidate = parsed("wallets: [{key: coins, name: Points}]");
        ProgramDiff diff = ProgramDiff.between(active, candidate);
        assertThat(diff.removals()).containsExactly(new Item(Kind.WALLET, "points"));
        assertThat(diff.lines()).containsExactly("wallet `points` removed", "wallet `coins` added");
    }

    @Test
    void droppingTheLevelsRemovesEveryThreshold() {
        ProgramDefinition active = parsed("""
                wallets: [{key: xp, name: XP}]
                levels: {wallet: xp, thresholds: [{level: 1, name: A, at: 0}, {level: 2, name: B, at: 10}]}
                """);
        ProgramDefinition candidate = parsed("wallets: [{key: xp, name: XP}]");
        assertThat(ProgramDiff.between(active, candidate).removals())
                .containsExactly(new Item(Kind.LEVEL, "1"), new Item(Kind.LEVEL, "2"));
    }

    @Test
    void reorderingItemsIsNotListed() {
        ProgramDefinition active = parsed("""
                wallets: [{key: a, name: A}, {key: b, name: B}]
                rules: [{key: r1, event: a.b}, {key: r2, event: a.c}]
                """);
        ProgramDefinition candidate = parsed("""
                wallets: [{key: b, name: B}, {key: a, name: A}]
                rules: [{key: r2, event: a.c}, {key: r1, event: a.b}]
                """);
        assertThat(ProgramDiff.between(active, candidate).isEmpty()).isTrue();
    }
}
