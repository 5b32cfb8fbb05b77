package io.perkamo.core.program;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every program version of a Space, ordered by effective time then version. An input is
 * evaluated with the version in force at its event time, which keeps replays exact.
 */
public final class ProgramHistory {
    public static final ProgramHistory EMPTY = new ProgramHistory(List.of());

    private static final Comparator<CompiledProgram> ORDER =
            Comparator.comparing(CompiledProgram::effectiveAt).thenComparingLong(CompiledProgram::version);

    private final List<CompiledProgram> versions;

    private ProgramHistory(List<CompiledProgram> versions) {
        this.versions = versions;
    }

    public static ProgramHistory of(CompiledProgram... programs) {
        ProgramHistory h = EMPTY;
        for (CompiledProgram p : programs) {
            h = h.with(p);
        }
        return h;
    }

    /** A history with {@code program} added; a program with the same version number is replaced. */
    public ProgramHistory with(CompiledProgram program) {
        List<CompiledProgram> next = new ArrayList<>(versions.size() + 1);
        for (CompiledProgram p : versions) {
            if (p.version() != program.version()) {
                next.add(p);
            }
        }
        next.add(program);
        next.sort(ORDER);
        return new ProgramHistory(List.copyOf(next));
    }

    /** The latest version with effectiveAt <= eventTime, else {@link CompiledProgram#EMPTY}. */
    public CompiledProgram inForceAt(Instant eventTime) {
        CompiledProgram found = CompiledProgram.EMPTY;
        for (CompiledProgram p : versions) {
            if (p.effectiveAt().isAfter(eventTime)) {
                break;
            }
            found = p;
        }
        return found;
    }

    public List<CompiledProgram> versions() {
        return versions;
    }

    public boolean isEmpty() {
        return versions.isEmpty();
    }
}
