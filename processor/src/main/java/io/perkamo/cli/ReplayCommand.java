package io.perkamo.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.ProgramProblem;
import io.perkamo.core.program.Programs;
import io.perkamo.replay.AuditReport;
import io.perkamo.replay.ExportFile;
import io.perkamo.replay.Limits;
import io.perkamo.replay.Progress;
import io.perkamo.replay.Replay;
import io.perkamo.replay.SpaceHistory;
import io.perkamo.replay.WhatIfReport;
import io.perkamo.replay.Window;
import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.registry.HttpSchemaRegistryClient;
import io.perkamo.schemas.registry.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code perkamo replay}: folds a Space's events log in this process with the stream's own
 * step. Without {@code --program} a determinism audit (exit 1 when a live profile differs);
 * with it a what-if of the draft (exit 2 when the draft is invalid).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a Space's events: a determinism audit against the live profiles, or with --program a"
                + " what-if of a draft program. Reads only: no group, no commit, no write.")
final class ReplayCommand implements Callable<Integer> {
    static final int DIFFERENCES = 1;
    static final int INVALID_PROGRAM = 2;

    @Mixin
    ControlOptions control;

    @Option(names = "--space", paramLabel = "<slug>", description = "The Space (not needed with --input).")
    String space;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Replay an events export (perkamo export --topic events) instead of the cluster.")
    Path input;

    @Option(names = "--program", paramLabel = "FILE",
            description = "What-if: a draft program (YAML or JSON) that replaces the Space's from --effective-at.")
    Path program;

    @Option(names = "--effective-at", paramLabel = "TIME",
            description = "Event time from which the draft is in force (default: the beginning).")
    String effectiveAt;

    @Option(names = "--from", paramLabel = "TIME",
            description = "Report on records from this record time on (earlier ones are folded, not counted).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Stop at the first record at or after this record time.")
    String to;

    @Option(names = "--report", paramLabel = "DIR", description = "Write summary.json, users.csv and report.html here.")
    Path report;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "The deployment's registry: Avro inputs and Avro profiles need it (local mode: http://localhost:8081).")
    String schemaRegistryUrl;

    @Option(names = "--dedup-retention", defaultValue = "30d",
            description = "The deployment's --dedup-retention (default: ${DEFAULT-VALUE}).")
    String dedupRetention;

    @Option(names = "--application-id", defaultValue = "perkamo",
            description = "The live processor's application id, to read how far it has committed (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--threads", paramLabel = "N", description = "Fold threads (default: the CPU count).")
    Integer threads;

    @Override
    public Integer call() {
        int[] code = {0};
        int failed = control.execute(() -> code[0] = run(control.out(), control.err()));
        return failed != 0 ? failed : code[0];
    }

    private int run(PrintWriter out, PrintWriter err) throws Exception {
        if (input == null && space == null) {
            throw new IllegalArgumentException("give --space (or --input FILE for an export)");
        }
        Optional<ProgramDefinition> draft = Optional.empty();
        if (program != null) {
            draft = draft(program, err);
            if (draft.isEmpty()) {
                return INVALID_PROGRAM;
            }
        }
        Window window = new Window(Optional.ofNullable(from).map(t -> instant("--from", t)),
                Optional.ofNullable(to).map(t -> instant("--to", t)));
        Replay.Options options = new Replay.Options(window, Durations.parse(dedupRetention),
                threads != null ? threads : Runtime.getRuntime().availableProcessors(), Limits.NONE);
        Optional<SchemaRegistryClient> registry = Optional.ofNullable(schemaRegistryUrl)
                .map(HttpSchemaRegistryClient::new);
        try (Progress progress = Progress.to(err, System.console() != null)) {
            if (draft.isEmpty()) {
                if (input != null) {
                    throw new IllegalArgumentException("an audit compares with the live profiles on the cluster;"
                            + " with --input, give --program FILE for a what-if");
                }
                AuditReport audit = Replay.audit(control.bootstrapServers, space, registry, applicationId, options,
                        progress);
                progress.close();
                audit.print(out);
                if (report != null) {
                    audit.write(report);
                    out.printf("Report written to %s (summary.json, users.csv, report.html)%n", report);
                }
                hintRegistry(audit.summary(), registry, err);
                err.println(audit.finalLine());
                err.flush();
                return audit.clean() ? 0 : DIFFERENCES;
            }
            Instant draftFrom = Optional.ofNullable(effectiveAt).map(t -> instant("--effective-at", t))
                    .orElse(Instant.EPOCH);
            try (SpaceHistory history = input != null ? ExportFile.read(input, registry)
                    : SpaceHistory.fromCluster(control.bootstrapServers, space, registry, window.to())) {
                if (space != null && !space.equals(history.space())) {
                    throw new IllegalArgumentException(input + " is an export of Space " + history.space()
                            + ", not " + space);
                }
                WhatIfReport whatIf = Replay.whatIf(history, draft.get(), draftFrom, options, progress);
                progress.close();
                whatIf.print(out);
                if (report != null) {
                    whatIf.write(report);
                    out.printf("Report written to %s (summary.json, users.csv, report.html)%n", report);
                }
                hintRegistry(whatIf.summary(), registry, err);
                err.println(whatIf.finalLine());
                err.flush();
                return 0;
            }
        }
    }

    /** The draft when valid; otherwise every problem on stderr. */
    static Optional<ProgramDefinition> draft(Path file, PrintWriter err) throws java.io.IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        ProgramParse parsed = Programs.parse(Files.readString(file));
        if (parsed instanceof ProgramParse.Invalid invalid) {
            err.printf("perkamo: %s is not a valid program: %d problem(s)%n", file, invalid.problems().size());
            for (ProgramProblem p : invalid.problems()) {
                err.printf("  %s: %s (%s)%n", p.path().isEmpty() ? "(program)" : p.path(), p.message(), p.code());
            }
            err.flush();
            return Optional.empty();
        }
        return Optional.of(((ProgramParse.Parsed) parsed).definition());
    }

    /** Avro inputs refused for want of a registry: the processor, which has one, folded them. */
    private static void hintRegistry(com.fasterxml.jackson.databind.JsonNode summary,
                                     Optional<SchemaRegistryClient> registry, PrintWriter err) {
        if (registry.isEmpty() && summary.path("dlq_by_code").path(ErrorCodes.UNKNOWN_SCHEMA).asLong() > 0) {
            err.println("perkamo: some records are Avro and no --schema-registry-url was given: they were counted as"
                    + " refused (unknown_schema); give the deployment's registry to fold them as the processor does");
        }
    }

    static Instant instant(String option, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be an ISO-8601 time with an offset, like"
                    + " 2026-06-01T00:00:00Z, not '" + text + "'");
        }
    }
}
