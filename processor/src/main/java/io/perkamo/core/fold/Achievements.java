package io.perkamo.core.fold;

import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.CompiledProgram.CompiledAchievement;
import io.perkamo.core.program.CompiledProgram.CompiledAward;
import io.perkamo.core.program.Period;
import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.fold.ProfileState.AchievementProgress;

/** An event's achievements: counts and UTC-day streaks; reaching one unlocks it with its awards and perks. */
final class Achievements {
    private Achievements() {
    }

    static void advance(Fold f, CompiledAchievement a, ObjectNode context) {
        String key = a.key();
        AchievementProgress p = f.achievements().getOrDefault(key, AchievementProgress.NONE);
        int day = (int) Period.utcEpochDay(f.at);
        int streak = p.streakDays();
        Optional<Integer> lastDay = p.lastDay();
        if (lastDay.isEmpty() || day > lastDay.get() + 1) {
            streak = 1; // first day, or a missing day broke the run
            lastDay = Optional.of(day);
        } else if (day == lastDay.get() + 1) {
            streak = streak + 1;
            lastDay = Optional.of(day);
        } // same day, or a late input of an earlier day: the run does not move
        long count = p.count() + 1;
        ProgramDefinition.Achievement def = a.definition();
        boolean reached = def.streakDays().isPresent() ? streak >= def.streakDays().get()
                : count >= def.count().orElse(Long.MAX_VALUE);
        Optional<Instant> unlockedAt = p.unlockedAt();
        if (reached && unlockedAt.isEmpty()) {
            unlockedAt = Optional.of(f.at);
            f.unlock(new Unlock(Unlock.Type.ACHIEVEMENT, key, def.name()));
            f.effects.add(Effect.of(Effect.ACHIEVEMENT_UNLOCKED, key));
            for (CompiledAward award : a.awards()) {
                Earn.award(f, key, award, context);
            }
            f.unlockPerks(def.unlock());
        }
        f.achievements().put(key, new AchievementProgress(count, streak, lastDay, unlockedAt));
    }
}
