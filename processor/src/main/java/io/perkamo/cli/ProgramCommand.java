package io.perkamo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.Json;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ProgramPublisher;
import io.perkamo.control.ProgramVersion;
import io.perkamo.control.UnknownSpaceException;
import io.perkamo.core.program.ProgramDiff;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.ProgramProblem;
import io.perkamo.core.program.Programs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perkamo program apply|show|validate}: a Space's program, validated before it is published. */
@Command(name = "program", description = "Validate, apply and show a Space's program (rules, wallets, levels, ...).",
        subcommands = {ProgramCommand.Apply.class, ProgramCommand.Diff.class, ProgramCommand.Show.class,
            ProgramCommand.Validate.class})
final class ProgramCommand extends CommandGroup {
    private static final ObjectWriter JSON = Json.MAPPER.writerWithDefaultPrettyPrinter();

    ProgramCommand() {
        this(System.getenv());
    }

    /** For in-process use with a given environment (tests). */
    ProgramCommand(Map<String, String> env) {
        super(env);
    }

    @Command(name = "apply", description = "Validate a program file (JSON or YAML) and publish it as the Space's"
            + " next version, in force from now (a Space's first program: from the beginning; see --effective-at).")
    static final class Apply implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Option(names = "--space", required = true, paramLabel = "<slug>")
        String space;
        @Option(names = "--file", required = true, paramLabel = "FILE")
        Path file;
        @Option(names = "--effective-at", paramLabel = "TIME",
                description = "event time from which this version is in force (ISO-8601, e.g. 2026-06-01T00:00:00Z)")
        String effectiveAt;
        @Option(names = "--allow-removals", description = "publish even when the file removes a wallet, rule, level,"
                + " reward, perk or achievement the active version has")
        boolean allowRemovals;
        @Option(names = "--allow-backdating", description = "publish even when --effective-at is before the active"
                + " version's effective time (this changes how replays read history)")
        boolean allowBackdating;

        @Override
        public Integer call() {
            return control.execute(() -> {
                ObjectNode program = validated(file, control.err());
                Optional<Instant> from = Optional.ofNullable(effectiveAt).map(ProgramCommand::instant);
                try (ControlPlane cp = control.open()) {
                    ProgramPublisher.Result result = new ProgramPublisher(cp).publish(new ProgramPublisher.Request(
                            space, program, from, allowRemovals, allowBackdating), Instant.now());
                    PrintWriter out = control.out();
                    if (result instanceof ProgramPublisher.RemovalsNotConfirmed refused) {
                        printChanges(control.err(), refused.changes());
                        throw new IllegalArgumentException(file + " removes what the active version has ("
                                + refused.removals().size() + " listed above as removed); nothing was published."
                                + " Run again with --allow-removals to publish it anyway");
                    }
                    if (result instanceof ProgramPublisher.BackdatingNotConfirmed refused) {
                        throw new IllegalArgumentException("--effective-at " + refused.requested() + " is before the"
                                + " active version's " + refused.activeEffectiveAt() + "; nothing was published. Run"
                                + " again with --allow-backdating to publish it anyway");
                    }
                    if (result instanceof ProgramPublisher.Invalid invalid) {
                        throw new IllegalStateException("the program became invalid: " + invalid.problems());
                    }
                    ProgramPublisher.Published v = (ProgramPublisher.Published) result;
                    out.printf("Published program version %d of Space %s, in force from %s%n",
                            v.version().version(), v.version().space(), v.version().effectiveAt());
                    printChanges(out, v.changes());
                }
            });
        }
    }

    @Command(name = "diff", description = "Print what a program file would change against the Space's active"
            + " version, without publishing.")
    static final class Diff implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Option(names = "--space", required = true, paramLabel = "<slug>")
        String space;
        @Option(names = "--file", required = true, paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            return control.execute(() -> {
                ObjectNode program = validated(file, control.err());
                try (ControlPlane cp = control.open()) {
                    ProgramPublisher.Preview preview = new ProgramPublisher(cp).preview(space, program, Instant.now());
                    ProgramPublisher.Diff diff = (ProgramPublisher.Diff) preview;
                    PrintWriter out = control.out();
                    out.printf("%s against %s:%n", file, diff.active().map(v -> "version " + v.version()
                            + " of Space " + space + " (in force from " + v.effectiveAt() + ")")
                            .orElse("Space " + space + ", which has no program yet"));
                    printChanges(out, diff.changes());
                    if (!diff.removals().isEmpty()) {
                        out.printf("%d removal(s): `program apply` needs --allow-removals to publish this file%n",
                                diff.removals().size());
                    }
                }
            });
        }
    }

    private static void printChanges(PrintWriter out, List<ProgramDiff.Change> changes) {
        if (changes.isEmpty()) {
            out.println("  no changes");
        }
        for (ProgramDiff.Change c : changes) {
            out.printf("  %s%n", c.line());
        }
        out.flush();
    }

    @Command(name = "show", description = "Print a Space's program (the version in force now, or --version N).")
    static final class Show implements Callable<Integer> {
        @Mixin
        ControlOptions control;
        @Option(names = "--space", required = true, paramLabel = "<slug>")
        String space;
        @Option(names = "--version", paramLabel = "N", description = "a specific version")
        Long version;

        @Override
        public Integer call() {
            return control.execute(() -> {
                try (ControlPlane cp = control.open()) {
                    if (cp.space(space).isEmpty()) {
                        throw new UnknownSpaceException(space);
                    }
                    List<ProgramVersion> versions = cp.programs(space);
                    ProgramVersion shown = (version == null
                            ? cp.activeProgram(space, Instant.now())
                            : versions.stream().filter(v -> v.version() == version).findFirst())
                            .orElseThrow(() -> new IllegalArgumentException(version == null
                                    ? "Space " + space + " has no program yet: apply one with `perkamo program apply`"
                                    : "Space " + space + " has no program version " + version));
                    PrintWriter out = control.out();
                    out.printf("# Space %s, program version %d of %d, in force from %s%n", space, shown.version(),
                            versions.size(), shown.effectiveAt());
                    out.println(JSON.writeValueAsString(shown.program()));
                }
            });
        }
    }

    @Command(name = "validate", description = "Check a program file without publishing it (no broker needed).")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--file", required = true, paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            return CliSupport.execute(spec, () -> {
                validated(file, spec.commandLine().getErr());
                spec.commandLine().getOut().printf("%s is a valid program%n", file);
            });
        }
    }

    private static Instant instant(String text) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--effective-at must be an ISO-8601 time with an offset, like"
                    + " 2026-06-01T00:00:00Z, not '" + text + "'");
        }
    }

    /** The program as JSON when valid; otherwise every problem on stderr and an error. */
    static ObjectNode validated(Path file, PrintWriter err) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        ProgramParse parsed = Programs.parse(Files.readString(file));
        if (parsed instanceof ProgramParse.Invalid invalid) {
            for (ProgramProblem p : invalid.problems()) {
                err.printf("  %s: %s (%s)%n", p.path().isEmpty() ? "(program)" : p.path(), p.message(), p.code());
            }
            throw new IllegalArgumentException(file + " is not a valid program: " + invalid.problems().size()
                    + " problem(s) listed above; nothing was published");
        }
        return ((ProgramParse.Parsed) parsed).definition().toJson();
    }
}
