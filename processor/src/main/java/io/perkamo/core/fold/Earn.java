package io.perkamo.core.fold;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.cel.Condition;
import io.perkamo.core.formula.FormulaResult;
import io.perkamo.core.program.CompiledProgram.CompiledAchievement;
import io.perkamo.core.program.CompiledProgram.CompiledAward;
import io.perkamo.core.program.CompiledProgram.CompiledRule;
import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.fold.ProfileState.LimitWindows;
import io.perkamo.schemas.input.Input;

/** An event: its rules (condition, limit, reversal, awards, unlocks), then its achievements. */
final class Earn {
    private static final String BEYOND_HORIZON_DETAIL =
            "; the input's window is older than the " + LimitWindows.KEPT + " kept";

    private Earn() {
    }

    static void event(Fold f, Input.Event e) {
        List<CompiledRule> rules = f.program.rulesFor(e.event());
        for (int i = 0; i < rules.size(); i++) {
            rule(f, rules.get(i), e);
        }
        List<CompiledAchievement> achievementsOfEvent = f.program.achievementsFor(e.event());
        for (int i = 0; i < achievementsOfEvent.size(); i++) {
            Achievements.advance(f, achievementsOfEvent.get(i), e.context());
        }
    }

    private static void rule(Fold f, CompiledRule rule, Input.Event e) {
        String key = rule.key();
        if (rule.when().isPresent()) {
            Condition.Evaluation result = rule.when().get().evaluate(f);
            if (result instanceof Condition.Evaluation.Error err) {
                f.effects.add(Effect.skipped(Effect.RULE_SKIPPED, key, Engine.CONDITION_ERROR, err.message()));
                return;
            }
            if (!((Condition.Evaluation.Holds) result).value()) {
                f.effects.add(Effect.skipped(Effect.RULE_SKIPPED, key, Engine.CONDITION_FALSE, null));
                return;
            }
        }
        Optional<ProgramDefinition.Limit> limit = rule.definition().limit();
        long used = limit.isPresent() ? f.used(key, limit.get()) : 0;
        if (limit.isPresent() && used >= limit.get().count()) {
            f.effects.add(Effect.skipped(Effect.RULE_SKIPPED, key, Engine.LIMIT_REACHED,
                    "limit " + limit.get().count() + " per " + limit.get().per().wire()
                            + (used == LimitWindows.BEYOND_HORIZON ? BEYOND_HORIZON_DETAIL : "")));
            return;
        }
        boolean did = false;
        String failure = null;
        if (rule.reversePath().isPresent()) {
            Optional<String> skipped = Reverse.reverse(f, key, rule.reversePath().get(), e);
            did = skipped.isEmpty();
            failure = skipped.orElse(null);
        }
        List<CompiledAward> awards = rule.awards();
        for (int i = 0; i < awards.size(); i++) {
            Optional<String> skipped = award(f, key, awards.get(i), e.context());
            did |= skipped.isEmpty();
            if (failure == null) {
                failure = skipped.orElse(null);
            }
        }
        if (!rule.definition().unlock().isEmpty()) {
            f.unlockPerks(rule.definition().unlock());
            did = true;
        }
        boolean doesNothing = rule.awards().isEmpty() && rule.reversePath().isEmpty()
                && rule.definition().unlock().isEmpty();
        if (did || doesNothing) {
            if (limit.isPresent()) {
                f.count(key, limit.get());
            }
            f.effects.add(Effect.of(Effect.RULE_APPLIED, key));
        } else {
            f.effects.add(Effect.skipped(Effect.RULE_SKIPPED, key, failure == null ? Engine.NOTHING_AWARDED : failure,
                    "no award could be made"));
        }
    }

    /** Evaluates and books one award (of a rule or an achievement); returns the skip reason when it could not be made. */
    static Optional<String> award(Fold f, String key, CompiledAward award, ObjectNode context) {
        FormulaResult result = award.amount().evaluate(context);
        if (result instanceof FormulaResult.Failed failed) {
            f.effects.add(Effect.make(Effect.AWARD_SKIPPED, key, failed.reason(), award.wallet(), null,
                    failed.message()));
            return Optional.of(failed.reason());
        }
        long amount = ((FormulaResult.Value) result).value();
        if (amount >= 0) {
            return f.credit(key, award.wallet(), amount);
        }
        f.debit(key, award.wallet(), -amount, Effect.DEBIT_SHORTFALL);
        return Optional.empty();
    }
}
