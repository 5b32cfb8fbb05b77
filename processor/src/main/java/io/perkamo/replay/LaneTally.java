package io.perkamo.replay;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.perkamo.core.fold.Effect;
import io.perkamo.core.fold.Outcome;
import io.perkamo.core.fold.WalletAmount;

/**
 * What one lane's applied inputs moved, in the window: credits and debits per wallet, credits
 * per rule and per day (event time, UTC) by rule. An input's credits go to the rules (and
 * achievements) that applied on it; when several did, to all of them together ("a + b"), since
 * the outcome's delta is per wallet, not per rule.
 */
final class LaneTally {
    static final String OTHER = "(other)";

    final Map<String, Long> credited = new TreeMap<>();
    final Map<String, Long> debited = new TreeMap<>();
    /** rule -> wallet -> credited */
    final Map<String, Map<String, Long>> creditsByRule = new TreeMap<>();
    /** wallet -> epoch day -> rule -> credited */
    final Map<String, Map<Long, Map<String, Long>>> creditsByDay = new TreeMap<>();
    long applied;

    void add(Outcome outcome) {
        if (!outcome.applied()) {
            return; // duplicates repeat the original's delta, rejections move nothing
        }
        applied++;
        String rule = null;
        for (WalletAmount d : outcome.delta()) {
            if (d.amount() > 0) {
                if (rule == null) {
                    rule = sources(outcome.effects());
                }
                credited.merge(d.wallet(), d.amount(), Long::sum);
                creditsByRule.computeIfAbsent(rule, r -> new TreeMap<>()).merge(d.wallet(), d.amount(), Long::sum);
                long day = Math.floorDiv(outcome.occurredAt().getEpochSecond(), 86_400L);
                creditsByDay.computeIfAbsent(d.wallet(), w -> new TreeMap<>())
                        .computeIfAbsent(day, x -> new TreeMap<>()).merge(rule, d.amount(), Long::sum);
            } else if (d.amount() < 0) {
                debited.merge(d.wallet(), -d.amount(), Long::sum);
            }
        }
    }

    private static String sources(List<Effect> effects) {
        StringBuilder out = new StringBuilder();
        for (Effect e : effects) {
            if ((Effect.RULE_APPLIED.equals(e.type()) || Effect.ACHIEVEMENT_UNLOCKED.equals(e.type()))
                    && e.key().isPresent()) {
                if (out.length() > 0) {
                    out.append(" + ");
                }
                out.append(e.key().get());
            }
        }
        return out.length() == 0 ? OTHER : out.toString();
    }

    void add(LaneTally other) {
        applied += other.applied;
        other.credited.forEach((k, v) -> credited.merge(k, v, Long::sum));
        other.debited.forEach((k, v) -> debited.merge(k, v, Long::sum));
        other.creditsByRule.forEach((rule, wallets) -> wallets.forEach((w, v) ->
                creditsByRule.computeIfAbsent(rule, r -> new TreeMap<>()).merge(w, v, Long::sum)));
        other.creditsByDay.forEach((wallet, days) -> days.forEach((day, rules) -> rules.forEach((rule, v) ->
                creditsByDay.computeIfAbsent(wallet, w -> new TreeMap<>()).computeIfAbsent(day, x -> new TreeMap<>())
                        .merge(rule, v, Long::sum))));
    }
}
