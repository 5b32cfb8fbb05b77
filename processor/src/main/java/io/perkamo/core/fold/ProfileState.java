package io.perkamo.core.fold;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
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
                           SortedMap<String, LimitWindows> limits, ObjectNode traits,
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

    /**
     * A rule's (or reward's) counters, one per window it applied in, in window order (start, then
     * period), at most {@link #KEPT}: a late input is counted in its own window, not the latest.
     */
    public record LimitWindows(List<LimitCounter> counters) {
        /** Windows kept per rule or reward; counting in a newer one past this drops the oldest. */
        public static final int KEPT = 32;
        /**
         * {@link #used} of a window older than every kept one when KEPT are kept: its count is gone,
         * so it is over any limit. Refusing never credits past a limit; a fresh count would let
         * inputs back-dated beyond the horizon escape every limit.
         */
        static final long BEYOND_HORIZON = Long.MAX_VALUE;
        static final LimitWindows NONE = new LimitWindows(List.of());

        private static final Comparator<LimitCounter> ORDER =
                Comparator.comparing(LimitCounter::periodStart).thenComparing(LimitCounter::period);

        /** Counters in window order, one per window (what the engine builds; a restore uses {@link #of}). */
        public LimitWindows {
            counters = List.copyOf(counters);
            for (int i = 1; i < counters.size(); i++) {
                if (ORDER.compare(counters.get(i - 1), counters.get(i)) >= 0) {
                    throw new IllegalArgumentException("limit counters out of window order or repeated: " + counters);
                }
            }
        }

        /** Counters in any order, sorted into window order. */
        public static LimitWindows of(Collection<LimitCounter> counters) {
            List<LimitCounter> sorted = new ArrayList<>(counters);
            sorted.sort(ORDER);
            return new LimitWindows(sorted);
        }

        /**
         * The uses in the {@code period} window starting at epoch second {@code start}: 0 for a
         * window not kept, {@link #BEYOND_HORIZON} for one older than every kept window of that
         * period when KEPT are kept. Counters of another period (an earlier program version's
         * limit) do not count.
         */
        long used(Period period, long start) {
            int kept = 0;
            long earliest = Long.MAX_VALUE;
            for (int i = counters.size() - 1; i >= 0; i--) { // newest first: most inputs are in the latest window
                LimitCounter c = counters.get(i);
                if (c.period() != period) {
                    continue;
                }
                if (isAt(c.periodStart(), start)) {
                    return c.count();
                }
                kept++;
                earliest = c.periodStart().getEpochSecond(); // window order: the last one seen is the oldest
            }
            return kept >= KEPT && start < earliest ? BEYOND_HORIZON : 0;
        }

        /**
         * One more use in the {@code period} window starting at {@code start}. Counters of another
         * period are dropped (the limit's period changed: counting starts over, as it always did);
         * past KEPT windows the oldest is dropped.
         */
        LimitWindows plusOne(Period period, long start) {
            List<LimitCounter> next = new ArrayList<>(counters.size() + 1);
            boolean counted = false;
            for (int i = 0; i < counters.size(); i++) {
                LimitCounter c = counters.get(i);
                if (c.period() != period) {
                    continue;
                }
                if (!counted && isAt(c.periodStart(), start)) {
                    next.add(new LimitCounter(period, c.periodStart(), c.count() + 1)); // keeps its (equal) Instant
                    counted = true;
                    continue;
                }
                if (!counted && c.periodStart().getEpochSecond() > start) {
                    next.add(new LimitCounter(period, Instant.ofEpochSecond(start), 1));
                    counted = true;
                }
                next.add(c);
            }
            if (!counted) {
                next.add(new LimitCounter(period, Instant.ofEpochSecond(start), 1));
            }
            int drop = Math.max(0, next.size() - KEPT);
            return new LimitWindows(next.subList(drop, next.size()));
        }

        /** instant.equals(Instant.ofEpochSecond(second)), without the Instant. */
        private static boolean isAt(Instant instant, long second) {
            return instant.getEpochSecond() == second && instant.getNano() == 0;
        }
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
