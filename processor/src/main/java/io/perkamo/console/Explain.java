package io.perkamo.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.OutcomeDelta;
import io.perkamo.schemas.avro.OutcomeEffect;

/**
 * An outcome's effects in words: what each effect code (SPEC section 2, core's Effect) means,
 * for people reading a customer's history or a dry run. Wording only: the decisions are the
 * fold's, read from the outcome as the stream wrote it.
 */
final class Explain {
    private Explain() {
    }

    static List<Model.EffectRow> effects(Outcome outcome) {
        List<Model.EffectRow> out = new ArrayList<>();
        for (OutcomeEffect e : outcome.getEffects()) {
            out.add(new Model.EffectRow(kind(e.getType()), sentence(e), codes(e)));
        }
        if (outcome.getError() != null) {
            out.add(new Model.EffectRow("skipped", "Refused: " + outcome.getError().getMessage(),
                    outcome.getError().getCode()));
        }
        return out;
    }

    static List<Model.DeltaRow> delta(Outcome outcome) {
        List<Model.DeltaRow> out = new ArrayList<>();
        for (OutcomeDelta d : outcome.getDelta()) {
            out.add(new Model.DeltaRow(d.getWallet(), Formats.signed(d.getAmount()), d.getAmount() >= 0));
        }
        return out;
    }

    /** applied, duplicate, rejected, redeemed: the badge colour of a status. */
    static String statusKind(String status) {
        return switch (status) {
            case "applied", "redeemed" -> "ok";
            case "duplicate" -> "info";
            default -> "error";
        };
    }

    private static String kind(String type) {
        return switch (type) {
            case "rule_applied", "perk_unlocked", "achievement_unlocked", "level_changed", "reward_redeemed",
                 "reversed", "traits_merged" -> "applied";
            default -> "skipped";
        };
    }

    static String sentence(OutcomeEffect e) {
        String key = e.getKey() == null ? "" : "`" + e.getKey() + "`";
        String why = e.getReason() == null ? "" : reason(e.getReason());
        String amount = e.getAmount() == null ? "" : Formats.number(e.getAmount()) + " " + e.getWallet();
        String said = e.getMessage() == null ? "" : e.getMessage();
        String text = switch (e.getType()) {
            case "rule_applied" -> "Rule " + key + " applied.";
            case "rule_skipped" -> "Rule " + key + " did not apply: " + join(why, said) + ".";
            case "award_skipped" -> "An award of rule " + key + " to " + e.getWallet() + " was skipped: "
                    + join(why, said) + ".";
            case "debit_shortfall", "reverse_shortfall" -> "Taking back " + key + " fell short by " + amount
                    + " (a balance never goes below zero).";
            case "perk_unlocked" -> "Perk " + key + " unlocked.";
            case "level_changed" -> "Level changed to " + key + (e.getAmount() == null ? "" : " (level "
                    + e.getAmount() + ")") + ".";
            case "achievement_unlocked" -> "Achievement " + key + " unlocked.";
            case "reversed" -> "Reversed an earlier input" + (said.isEmpty() ? "" : ": " + said) + ".";
            case "reverse_skipped" -> "Nothing reversed for rule " + key + ": " + join(why, said) + ".";
            case "reward_redeemed" -> "Reward " + key + " redeemed" + (amount.isEmpty() ? "" : " for " + amount) + ".";
            case "redemption_rejected" -> "Reward " + key + " not redeemed: " + join(why, said) + ".";
            case "traits_merged" -> "Traits merged into the profile.";
            default -> e.getType().replace('_', ' ') + (key.isEmpty() ? "" : " " + key)
                    + (said.isEmpty() ? "" : ": " + said) + ".";
        };
        return text.replace(": .", ".");
    }

    private static String reason(String code) {
        return switch (code) {
            case "condition_false" -> "its condition was false";
            case "condition_error" -> "its condition could not be evaluated";
            case "limit_reached" -> "its limit was reached";
            case "missing_value" -> "a context value it needs is missing or not a number";
            case "nothing_awarded" -> "it had nothing to award";
            case "unknown_transaction" -> "no earlier input has that transaction_id";
            case "already_reversed" -> "it was reversed already";
            case "insufficient_balance" -> "the balance is too low";
            case "level_required" -> "a higher level is required";
            case "unknown_reward" -> "there is no such reward";
            default -> code.replace('_', ' ').toLowerCase(Locale.ROOT);
        };
    }

    private static String join(String why, String said) {
        if (why.isEmpty()) {
            return said;
        }
        return said.isEmpty() || said.equalsIgnoreCase(why) ? why : why + " (" + said + ")";
    }

    private static String codes(OutcomeEffect e) {
        StringBuilder sb = new StringBuilder(e.getType());
        if (e.getReason() != null) {
            sb.append(" · ").append(e.getReason());
        }
        if (e.getAmount() != null && e.getWallet() != null) {
            sb.append(" · ").append(e.getWallet()).append(' ').append(Formats.signed(e.getAmount()));
        }
        return sb.toString();
    }
}
