package io.perkamo.core.fold;

import java.util.List;
import java.util.Optional;

import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.program.ProgramDefinition.Threshold;

/** Level arithmetic shared by the engine and the profile view. */
public final class Levels {
    private Levels() {
    }

    /** The value levels are computed from: lifetime credits or the balance of the level wallet. */
    public static long basisValue(ProgramDefinition.Levels levels, ProfileState state) {
        return levels.basis() == ProgramDefinition.Basis.EARNED
                ? state.earnedIn(levels.wallet())
                : state.balance(levels.wallet());
    }

    /** The highest threshold whose {@code at} the value reached (thresholds start at 0). */
    static Threshold reached(ProgramDefinition.Levels levels, long value) {
        Threshold found = levels.thresholds().get(0);
        for (Threshold t : levels.thresholds()) {
            if (t.at() <= value) {
                found = t;
            }
        }
        return found;
    }

    /** The display view of {@code state}'s level under {@code program}; empty without levels. */
    public static Optional<LevelView> view(CompiledProgram program, ProfileState state) {
        if (program.levels().isEmpty()) {
            return Optional.empty();
        }
        ProgramDefinition.Levels levels = program.levels().get();
        return Optional.of(view(levels, state.level(), basisValue(levels, state)));
    }

    static LevelView view(ProgramDefinition.Levels levels, int level, long current) {
        List<Threshold> ts = levels.thresholds();
        int index = 0;
        for (int i = 0; i < ts.size(); i++) {
            if (ts.get(i).level() <= level) {
                index = i;
            }
        }
        Threshold at = ts.get(index);
        Optional<Long> next = index + 1 < ts.size() ? Optional.of(ts.get(index + 1).at()) : Optional.empty();
        double progress = next.isPresent()
                ? clamp((double) (current - at.at()) / (double) (next.get() - at.at()))
                : 1.0;
        return new LevelView(levels.wallet(), at.level(), at.name(), current, at.at(), next, progress);
    }

    private static double clamp(double v) {
        return Math.max(0.0, Math.min(1.0, v));
    }
}
