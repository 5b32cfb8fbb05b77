package io.perkamo.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ProgramPublisher;
import io.perkamo.control.ProgramVersion;
import io.perkamo.control.Space;
import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.program.ProgramDiff;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.ProgramProblem;
import io.perkamo.core.program.ProgramSource;
import io.perkamo.core.program.Programs;
import io.perkamo.schemas.Json;
import io.perkamo.schemas.input.Problem;

/**
 * The program editor: the active version as YAML, checks with every problem at its line and
 * the changes against the active version ({@link ProgramPublisher#preview}), a dry run of a
 * sample input ({@link DryRun}, the stream's FoldStep), apply ({@link ProgramPublisher#publish},
 * the same path as {@code POST /v1/admin/config/program}) and the version history with diffs.
 */
final class ProgramPages {
    static final Model.Feature WHAT_IF = new Model.Feature(false, "What-if over the Space's history",
            "Not configured on this server yet: replaying the Space's real history through the draft before applying"
                    + " it comes with the replay feature (POST /v1/admin/simulate). The dry run above folds one sample"
                    + " input.");
    private final ControlPlane control;
    private final ProgramPublisher publisher;
    private final Views views;
    private final Chrome chrome;
    private final Clock clock;
    private final Console.Profiles profiles;

    ProgramPages(ControlPlane control, Views views, Chrome chrome, Clock clock, Console.Profiles profiles) {
        this.control = control;
        this.publisher = new ProgramPublisher(control);
        this.views = views;
        this.chrome = chrome;
        this.clock = clock;
        this.profiles = profiles;
    }

    void show(Context ctx, Space space) {
        String text = control.activeProgram(space.slug(), clock.instant()).map(v -> YamlText.write(v.program()))
                .orElseGet(ProgramPages::starter);
        render(ctx, space, 200, text, Optional.empty(), Optional.empty(), Optional.empty(), defaultSample(text),
                new Model.ApplyForm("", false, false));
    }

    void check(Context ctx, Space space) {
        String text = Web.form(ctx, "program");
        Model.CheckView check = check(space, text);
        if (Web.htmx(ctx)) {
            Web.html(ctx, 200, views.render("fragments/check", check));
            return;
        }
        render(ctx, space, 200, text, Optional.of(check), Optional.empty(), Optional.empty(), sample(ctx, text),
                applyForm(ctx));
    }

    void dryRun(Context ctx, Space space) {
        String text = ctx.formParam("program") != null ? ctx.formParam("program")
                : control.activeProgram(space.slug(), clock.instant()).map(v -> YamlText.write(v.program())).orElse("");
        Model.SampleForm sample = sample(ctx, text);
        Model.DryRunView result = dryRun(space, text, sample);
        if (Web.htmx(ctx)) {
            Web.html(ctx, 200, views.render("fragments/dryrun", result));
            return;
        }
        render(ctx, space, 200, text, Optional.empty(), Optional.of(result), Optional.empty(), sample, applyForm(ctx));
    }

    void apply(Context ctx, Space space) {
        String text = Web.form(ctx, "program");
        Model.ApplyForm form = applyForm(ctx);
        Model.ApplyView result = apply(space, text, form);
        render(ctx, space, 200, text, Optional.empty(), Optional.empty(), Optional.of(result), sample(ctx, text), form);
    }

    void version(Context ctx, Space space) {
        long n;
        try {
            n = Long.parseLong(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A version is a number.");
        }
        List<ProgramVersion> all = control.programs(space.slug());
        Optional<ProgramVersion> version = all.stream().filter(v -> v.version() == n).findFirst();
        if (version.isEmpty()) {
            throw new IllegalArgumentException("Space " + space.slug() + " has no program version " + n + ".");
        }
        Optional<ProgramVersion> previous = all.stream().filter(v -> v.version() < n)
                .reduce((a, b) -> b);
        List<Model.ChangeRow> changes = rows(ProgramDiff.between(
                previous.map(ProgramPages::definition).orElse(ProgramDefinition.EMPTY),
                definition(version.get())).changes());
        ProgramVersion v = version.get();
        Web.html(ctx, 200, views.render("program-version", new Model.VersionView(
                chrome.page(ctx, "Program version " + n + " · " + space.slug(), Optional.of(space), "program"),
                n, Formats.time(v.effectiveAt()), Formats.time(v.createdAt()), YamlText.write(v.program()),
                previous.map(ProgramVersion::version), changes)));
    }

    // ---- the operations

    Model.CheckView check(Space space, String text) {
        ProgramSource source = ProgramSource.of(text);
        Optional<ObjectNode> tree = tree(text);
        ProgramParse parsed = Programs.parse(text);
        if (parsed instanceof ProgramParse.Invalid invalid || tree.isEmpty()) {
            List<ProgramProblem> problems = parsed instanceof ProgramParse.Invalid i ? i.problems()
                    : List.of(new ProgramProblem("", ProgramProblem.INVALID_TYPE, "a program is a mapping"));
            return new Model.CheckView(false, problems(source, problems), List.of(), "");
        }
        ProgramPublisher.Preview preview = publisher.preview(space.slug(), tree.get(), clock.instant());
        if (preview instanceof ProgramPublisher.Invalid invalid) {
            return new Model.CheckView(false, problems(source, invalid.problems()), List.of(), "");
        }
        ProgramPublisher.Diff diff = (ProgramPublisher.Diff) preview;
        String against = diff.active().map(v -> "against version " + v.version() + ", in force now")
                .orElse("as the first version of this Space");
        return new Model.CheckView(true, List.of(), rows(diff.changes()), against);
    }

    Model.DryRunView dryRun(Space space, String text, Model.SampleForm sample) {
        ProgramParse parsed = Programs.parse(text);
        if (parsed instanceof ProgramParse.Invalid invalid) {
            return dryRunNotice(Model.Notice.error("Fix the program first",
                    "The dry run folds the sample through the program in the editor, which has problems:"),
                    problems(ProgramSource.of(text), invalid.problems()));
        }
        JsonNode context;
        try {
            context = sample.context().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(sample.context());
        } catch (JsonProcessingException e) {
            return dryRunNotice(Model.Notice.error("The context is not JSON", e.getOriginalMessage()), List.of());
        }
        ObjectNode input = Json.MAPPER.createObjectNode();
        input.put("user_id", sample.userId());
        if (sample.event().startsWith("reward:")) {
            input.put("kind", "redemption").put("reward", sample.event().substring("reward:".length()).strip());
        } else {
            input.put("event", sample.event());
        }
        input.put("transaction_id", sample.transactionId());
        input.set("context", context);
        if (!sample.occurredAt().isBlank()) {
            input.put("occurred_at", sample.occurredAt());
        }
        Optional<io.perkamo.schemas.avro.Profile> current = sample.userId().isBlank() ? Optional.empty()
                : profiles.read(space.slug(), sample.userId()) instanceof Console.Found f ? Optional.of(f.profile())
                : Optional.empty();
        long nextVersion = control.programs(space.slug()).stream().mapToLong(ProgramVersion::version).max().orElse(0) + 1;
        DryRun.Result result = DryRun.run(((ProgramParse.Parsed) parsed).definition(), nextVersion, input, current,
                clock.instant());
        if (result instanceof DryRun.BadInput bad) {
            List<String> lines = bad.problems().stream()
                    .map((Problem p) -> (p.field().isEmpty() ? "" : p.field() + ": ") + p.message()).toList();
            return dryRunNotice(new Model.Notice("error", "The sample input is not valid", lines), List.of());
        }
        DryRun.Folded folded = (DryRun.Folded) result;
        io.perkamo.schemas.avro.Outcome o = folded.outcome();
        String level = o.getLevel() == null ? null : "Level " + o.getLevel().getLevel()
                + (o.getLevel().getName() == null ? "" : " · " + o.getLevel().getName())
                + (o.getLeveledUp() ? " (levelled up)" : "");
        List<String> unlocked = o.getUnlocked().stream().map(u -> u.getType() + " " + u.getName()).toList();
        Model.Notice notice = folded.fromProfile()
                ? Model.Notice.info("Folded into " + sample.userId() + "'s current profile",
                        "Nothing was written: the customer, the log and the program are unchanged.")
                : Model.Notice.info("Folded into a new profile",
                        "Nothing was written: the log and the program are unchanged.");
        return new Model.DryRunView(Optional.of(notice), o.getStatus(), Explain.delta(o), DryRun.balances(o),
                Optional.ofNullable(level), unlocked, Explain.effects(o), List.of());
    }

    Model.ApplyView apply(Space space, String text, Model.ApplyForm form) {
        ProgramSource source = ProgramSource.of(text);
        ProgramParse parsed = Programs.parse(text);
        Optional<ObjectNode> tree = tree(text);
        if (parsed instanceof ProgramParse.Invalid invalid || tree.isEmpty()) {
            List<ProgramProblem> problems = parsed instanceof ProgramParse.Invalid i ? i.problems() : List.of();
            return new Model.ApplyView(Model.Notice.error("Nothing was published",
                    "The program has problems; the active version is untouched."), problems(source, problems), List.of());
        }
        Optional<Instant> effectiveAt;
        try {
            effectiveAt = effectiveAt(form.effectiveAt());
        } catch (IllegalArgumentException e) {
            return new Model.ApplyView(Model.Notice.error("Nothing was published", e.getMessage()), List.of(), List.of());
        }
        ProgramPublisher.Result result = publisher.publish(new ProgramPublisher.Request(space.slug(), tree.get(),
                effectiveAt, form.allowRemovals(), form.allowBackdating()), clock.instant());
        if (result instanceof ProgramPublisher.Published p) {
            return new Model.ApplyView(Model.Notice.ok("Version " + p.version().version() + " published",
                    "In force from " + Formats.time(p.version().effectiveAt()) + "."), List.of(), rows(p.changes()));
        }
        if (result instanceof ProgramPublisher.Invalid i) {
            return new Model.ApplyView(Model.Notice.error("Nothing was published",
                    "The program has problems; the active version is untouched."), problems(source, i.problems()),
                    List.of());
        }
        if (result instanceof ProgramPublisher.RemovalsNotConfirmed r) {
            return new Model.ApplyView(new Model.Notice("warn", "Nothing was published: confirm the removals",
                    List.of("This version removes what the active one has: every customer loses it at once.",
                            "Tick \u201cAllow removals\u201d and apply again to publish it anyway.")),
                    List.of(), rows(r.removals()));
        }
        ProgramPublisher.BackdatingNotConfirmed b = (ProgramPublisher.BackdatingNotConfirmed) result;
        return new Model.ApplyView(new Model.Notice("warn", "Nothing was published: confirm the back-dating",
                List.of("In force from " + Formats.time(b.requested()) + " is before the active version's "
                        + Formats.time(b.activeEffectiveAt()) + ", which changes how replays read history.",
                        "Tick \u201cAllow back-dating\u201d and apply again to publish it anyway.")), List.of(), List.of());
    }

    // ----

    private void render(Context ctx, Space space, int status, String text, Optional<Model.CheckView> check,
                        Optional<Model.DryRunView> dryRun, Optional<Model.ApplyView> apply, Model.SampleForm sample,
                        Model.ApplyForm applyForm) {
        Instant now = clock.instant();
        Optional<ProgramVersion> active = control.activeProgram(space.slug(), now);
        List<Model.VersionRow> versions = new ArrayList<>();
        for (ProgramVersion v : control.programs(space.slug())) {
            versions.add(0, new Model.VersionRow(v.version(), Formats.time(v.effectiveAt()), Formats.time(v.createdAt()),
                    active.map(a -> a.version() == v.version()).orElse(false)));
        }
        Model.ProgramView view = new Model.ProgramView(chrome.page(ctx, "Program · " + space.slug(), Optional.of(space),
                "program"), text, active.map(v -> "Version " + v.version() + " in force since "
                + Formats.time(v.effectiveAt())), versions, check, dryRun, apply, sample, applyForm, WHAT_IF);
        Web.html(ctx, status, views.render("program", view));
    }

    private static Model.DryRunView dryRunNotice(Model.Notice notice, List<Model.ProblemRow> problems) {
        return new Model.DryRunView(Optional.of(notice), "", List.of(), List.of(), Optional.empty(), List.of(),
                List.of(), problems);
    }

    private static List<Model.ProblemRow> problems(ProgramSource source, List<ProgramProblem> problems) {
        return problems.stream().map(p -> new Model.ProblemRow(source.lineOf(p), p.path().isEmpty() ? "(program)"
                : p.path(), p.code(), p.message())).sorted(java.util.Comparator.comparingInt(Model.ProblemRow::line))
                .toList();
    }

    private static List<Model.ChangeRow> rows(List<ProgramDiff.Change> changes) {
        return changes.stream().map(c -> new Model.ChangeRow(c.kind().wire(), c.key(), c.action().wire(), c.line()))
                .toList();
    }

    private static ProgramDefinition definition(ProgramVersion v) {
        ProgramParse p = Programs.parsePublished(v.program());
        return p instanceof ProgramParse.Parsed parsed ? parsed.definition() : ProgramDefinition.EMPTY;
    }

    /** The text as the tree Programs.parse reads (JSON when it starts with '{', else YAML); empty when not a mapping. */
    private static Optional<ObjectNode> tree(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode n = (text.stripLeading().startsWith("{") ? Json.MAPPER : Programs.YAML).readTree(text);
            return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Empty: from now. An RFC 3339 time, or a datetime-local value (read as UTC). */
    static Optional<Instant> effectiveAt(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("\u201cIn force from\u201d must be a time like 2026-07-01T00:00"
                        + " (UTC) or 2026-07-01T00:00:00Z, not \u201c" + t + "\u201d.");
            }
        }
    }

    private Model.SampleForm sample(Context ctx, String text) {
        if (ctx.formParam("sample_event") == null) {
            return defaultSample(text);
        }
        return new Model.SampleForm(Web.form(ctx, "sample_user_id").strip(), Web.form(ctx, "sample_event").strip(),
                Web.form(ctx, "sample_transaction_id").strip(), Web.form(ctx, "sample_occurred_at").strip(),
                Web.form(ctx, "sample_context"));
    }

    private static Model.ApplyForm applyForm(Context ctx) {
        return new Model.ApplyForm(Web.form(ctx, "effective_at"), Web.checked(ctx, "allow_removals"),
                Web.checked(ctx, "allow_backdating"));
    }

    /** A sample for the program's first rule. */
    private static Model.SampleForm defaultSample(String text) {
        String event = "purchase.completed";
        if (Programs.parse(text) instanceof ProgramParse.Parsed p && !p.definition().rules().isEmpty()) {
            event = p.definition().rules().get(0).event();
        }
        return new Model.SampleForm("sample-user", event, "dry-run-1", "", "{}");
    }

    /** What a Space without a program starts editing from. */
    private static String starter() {
        try (InputStream in = ProgramPages.class.getResourceAsStream("/demo-program.yaml")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
