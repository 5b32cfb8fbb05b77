package io.perkamo.core.fold;

import java.util.Optional;

/** One line of the explanation of a decision: which rules applied or were skipped and why. */
public record Effect(String type, Optional<String> key, Optional<String> reason, Optional<String> wallet,
                     Optional<Long> amount, Optional<String> message) {

    public static final String RULE_APPLIED = "rule_applied";
    public static final String RULE_SKIPPED = "rule_skipped";
    public static final String AWARD_SKIPPED = "award_skipped";
    public static final String DEBIT_SHORTFALL = "debit_shortfall";
    public static final String PERK_UNLOCKED = "perk_unlocked";
    public static final String LEVEL_CHANGED = "level_changed";
    public static final String ACHIEVEMENT_UNLOCKED = "achievement_unlocked";
    public static final String REVERSED = "reversed";
    public static final String REVERSE_SKIPPED = "reverse_skipped";
    public static final String REVERSE_SHORTFALL = "reverse_shortfall";
    public static final String REWARD_REDEEMED = "reward_redeemed";
    public static final String REDEMPTION_REJECTED = "redemption_rejected";
    public static final String TRAITS_MERGED = "traits_merged";

    static Effect of(String type, String key) {
        return new Effect(type, Optional.of(key), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Effect skipped(String type, String key, String reason, String message) {
        return make(type, key, reason, null, null, message);
    }

    /** Null arguments become empty optionals (nulls stay inside this package). */
    static Effect make(String type, String key, String reason, String wallet, Long amount, String message) {
        return new Effect(type, Optional.ofNullable(key), Optional.ofNullable(reason), Optional.ofNullable(wallet),
                Optional.ofNullable(amount), Optional.ofNullable(message));
    }
}
