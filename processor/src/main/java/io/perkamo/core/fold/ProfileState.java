package io.perkamo.core.fold;

import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.Period;

/**
 * A user's state in one Space. Immutable: maps are unmodifiable sorted copies (sorted so that
 * serialized states are byte-identical); traits must never be mutated (the engine copies on
 * merge). version counts applied inputs; times are event times.
 */
public record ProfileState(String userId, long version, long programVersion, SortedMap<String, Long> wallets,
                           SortedMap<String, Long> earned, int level, SortedMap<String, Instant> perks,
                           SortedMap<String, LimitCounter> limits, ObjectNode traits,
                           SortedMap<String, AchievementProgress> achievements,
                           SortedMap<String, RedemptionCount> redemptions, Optional<Instant> createdAt,
                           Optional<Instant> updatedAt) {

    /** Limit counters of rewards share the map with rules, prefixed so the keys cannot collide. */
    public static final String REWARD_LIMIT_PREFIX = "reward:";

    public ProfileState {
        wallets = frozen(wallets);
        earned = frozen(earned);
        perks = frozen(perks);
        limits = frozen(limits);
        achievements = frozen(achievements);
        redemptions = frozen(redemptions);
    }

    public static ProfileState empty(String userId) {
        return new ProfileState(userId, 0, 0, SortedArrayMap.empty(), SortedArrayMap.empty(), 0,
                SortedArrayMap.empty(), SortedArrayMap.empty(), JsonNodeFactory.instance.objectNode(),
                SortedArrayMap.empty(), SortedArrayMap.empty(), Optional.empty(), Optional.empty());
    }

    public long balance(String wallet) {
        return wallets.getOrDefault(wallet, 0L);
    }

    public long earnedIn(String wallet) {
        return earned.getOrDefault(wallet, 0L);
    }

    /** How often a rule (or reward) applied in the window starting at periodStart. */
    public record LimitCounter(Period period, Instant periodStart, long count) {
    }

    /** Progress towards an achievement; lastDay is the UTC epoch day of the last counted input. */
    public record AchievementProgress(long count, int streakDays, Optional<Integer> lastDay,
                                      Optional<Instant> unlockedAt) {
        public static final AchievementProgress NONE =
                new AchievementProgress(0, 0, Optional.empty(), Optional.empty());
    }

    public record RedemptionCount(long count, Instant lastAt) {
    }

    /** An unmodifiable sorted copy; a map that is already one (from another state) is shared, not copied. */
    private static <V> SortedMap<String, V> frozen(SortedMap<String, V> map) {
        return SortedArrayMap.copyOf(map);
    }
}
