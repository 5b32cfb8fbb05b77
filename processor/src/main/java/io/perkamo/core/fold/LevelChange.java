package io.perkamo.core.fold;

import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.program.ProgramDefinition.Threshold;

/** After every applied input: the level follows its basis, and the perks of every level reached unlock. */
final class LevelChange {
    private LevelChange() {
    }

    static void follow(Fold f) {
        if (f.program.levels().isEmpty()) {
            return;
        }
        ProgramDefinition.Levels levels = f.program.levels().get();
        long value = levels.basis() == ProgramDefinition.Basis.EARNED
                ? f.earned().getOrDefault(levels.wallet(), 0L)
                : f.wallets().getOrDefault(levels.wallet(), 0L);
        int old = f.newLevel;
        // the level follows its basis; earned only drops when a reversal takes credits back
        int next = Levels.reached(levels, value).level();
        int base = levels.thresholds().get(0).level();
        f.leveledUp = next > Math.max(old, base);
        if (next != old) {
            f.effects.add(Effect.make(Effect.LEVEL_CHANGED, nameOf(levels, next), null, levels.wallet(),
                    (long) next, "level " + old + " -> " + next));
        }
        f.newLevel = next;
        for (Threshold t : levels.thresholds()) {
            if (t.level() <= next) {
                f.unlockPerks(t.perks());
            }
        }
    }

    private static String nameOf(ProgramDefinition.Levels levels, int level) {
        return levels.thresholds().stream().filter(t -> t.level() == level).map(Threshold::name).findFirst()
                .orElse(Integer.toString(level));
    }
}
