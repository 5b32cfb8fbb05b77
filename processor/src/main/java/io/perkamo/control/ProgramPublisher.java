package io.perkamo.control;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.program.ProgramDiff;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.ProgramProblem;
import io.perkamo.core.program.Programs;

/**
 * The one way a program becomes a Space's next version, for the API, the CLI and the console:
 * validated strictly (every problem listed), compared with the version in force now, refused
 * when it removes something the active version has unless the caller says so, and refused
 * when it would be in force before the active version unless the caller says so (a back-dated
 * version changes how replays read history). Only then published.
 */
public final class ProgramPublisher {
    private final ControlPlane cp;
    private final ProgramStore store;

    public ProgramPublisher(ControlPlane cp) {
        this.cp = cp;
        this.store = new ProgramStore(cp);
    }

    /**
     * @param effectiveAt when the version is in force (event time); empty: from now, or from the
     *                    beginning for a Space's first program
     */
    public record Request(String space, ObjectNode program, Optional<Instant> effectiveAt, boolean allowRemovals,
                          boolean allowBackdating) {
    }

    public sealed interface Result permits Published, Invalid, RemovalsNotConfirmed, BackdatingNotConfirmed {
    }

    /** @param changes what the new version changes against the one that was in force */
    public record Published(ProgramVersion version, List<ProgramDiff.Change> changes) implements Result {
        public Published {
            changes = List.copyOf(changes);
        }
    }

    /** Every problem found; nothing was published. */
    public record Invalid(List<ProgramProblem> problems) implements Result, Preview {
        public Invalid {
            problems = List.copyOf(problems);
        }
    }

    /** The program removes what the active version has; nothing was published. */
    public record RemovalsNotConfirmed(List<ProgramDiff.Change> removals, List<ProgramDiff.Change> changes)
            implements Result {
        public RemovalsNotConfirmed {
            removals = List.copyOf(removals);
            changes = List.copyOf(changes);
        }
    }

    /** The requested effective time is before the active version's; nothing was published. */
    public record BackdatingNotConfirmed(Instant requested, Instant activeEffectiveAt) implements Result {
    }

    /** What the program would change against the version in force at {@code now}, without publishing. */
    public sealed interface Preview permits Diff, Invalid {
    }

    public record Diff(List<ProgramDiff.Change> changes, Optional<ProgramVersion> active) implements Preview {
        public Diff {
            changes = List.copyOf(changes);
        }

        public List<ProgramDiff.Change> removals() {
            return changes.stream().filter(c -> c.action() == ProgramDiff.Action.REMOVED).toList();
        }
    }

    public Preview preview(String space, ObjectNode program, Instant now) {
        requireSpace(space);
        ProgramParse parsed = Programs.parse(program);
        if (parsed instanceof ProgramParse.Invalid invalid) {
            return new Invalid(invalid.problems());
        }
        Optional<ProgramVersion> active = cp.activeProgram(space, now);
        ProgramDiff diff = ProgramDiff.between(definitionOf(active), ((ProgramParse.Parsed) parsed).definition());
        return new Diff(diff.changes(), active);
    }

    public Result publish(Request request, Instant now) {
        Preview preview = preview(request.space(), request.program(), now);
        if (preview instanceof Invalid invalid) {
            return invalid;
        }
        Diff diff = (Diff) preview;
        if (!diff.removals().isEmpty() && !request.allowRemovals()) {
            return new RemovalsNotConfirmed(diff.removals(), diff.changes());
        }
        Optional<Instant> activeFrom = diff.active().map(ProgramVersion::effectiveAt);
        if (request.effectiveAt().isPresent() && activeFrom.isPresent() && !request.allowBackdating()
                && request.effectiveAt().get().isBefore(activeFrom.get())) {
            return new BackdatingNotConfirmed(request.effectiveAt().get(), activeFrom.get());
        }
        ProgramVersion published = request.effectiveAt().isPresent()
                ? store.publish(request.space(), request.program(), request.effectiveAt().get())
                : store.publishFromNow(request.space(), request.program(), now);
        return new Published(published, diff.changes());
    }

    /** The active version as the fold reads it: with the rules it was published under. */
    private static ProgramDefinition definitionOf(Optional<ProgramVersion> active) {
        return active.map(v -> Programs.parsePublished(v.program()))
                .filter(ProgramParse.Parsed.class::isInstance)
                .map(p -> ((ProgramParse.Parsed) p).definition())
                .orElse(ProgramDefinition.EMPTY);
    }

    private void requireSpace(String space) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        if (cp.space(space).isEmpty()) {
            throw new UnknownSpaceException(space);
        }
    }
}
