package io.perkamo.console;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ControlPlaneException;
import io.perkamo.control.ProgramVersion;
import io.perkamo.control.Space;
import io.perkamo.control.SpaceAdmin;

/** The Space list with environment and activity, and creating a Space (through {@link SpaceAdmin}). */
final class SpacePages {
    private final ControlPlane control;
    private final SpaceAdmin admin;
    private final Views views;
    private final Chrome chrome;
    private final SpaceActivity activity;
    private final Clock clock;

    SpacePages(ControlPlane control, Views views, Chrome chrome, SpaceActivity activity, Clock clock) {
        this.clock = clock;
        this.control = control;
        this.admin = new SpaceAdmin(control);
        this.views = views;
        this.chrome = chrome;
        this.activity = activity;
    }

    void list(Context ctx) {
        Optional<Model.Notice> notice = Optional.ofNullable(ctx.queryParam("created"))
                .filter(s -> control.space(s).isPresent())
                .map(s -> Model.Notice.ok("Space " + s + " created",
                        "Next: create a key for it, then give it a program."));
        render(ctx, 200, notice, new Model.SpaceForm("", "", "test", ""));
    }

    void create(Context ctx) {
        String slug = Web.form(ctx, "slug").strip();
        String name = Web.form(ctx, "name").strip();
        String environment = Web.form(ctx, "environment");
        String partitionsText = Web.form(ctx, "partitions").strip();
        Model.SpaceForm form = new Model.SpaceForm(slug, name, environment, partitionsText);
        try {
            int partitions = partitionsText.isEmpty() ? admin.defaultPartitions() : Integer.parseInt(partitionsText);
            Space created = admin.create(slug, environment, Optional.of(name), partitions);
            ctx.redirect(Web.BASE + "/spaces?created=" + Web.enc(created.slug()), HttpStatus.SEE_OTHER);
        } catch (NumberFormatException e) {
            render(ctx, 400, Optional.of(Model.Notice.error("The Space was not created",
                    "Partitions must be a whole number.")), form);
        } catch (IllegalArgumentException | ControlPlaneException e) {
            render(ctx, 400, Optional.of(Model.Notice.error("The Space was not created", e.getMessage())), form);
        }
    }

    private void render(Context ctx, int status, Optional<Model.Notice> notice, Model.SpaceForm form) {
        List<Space> spaces = control.spaces().stream().sorted(Comparator.comparing(Space::slug)).toList();
        Map<String, SpaceActivity.Activity> busy = activity.of(spaces.stream().map(Space::slug).toList());
        Instant now = clock.instant();
        List<Model.SpaceRow> rows = spaces.stream().map(s -> {
            SpaceActivity.Activity a = busy.get(s.slug());
            String program = control.activeProgram(s.slug(), now).map(ProgramVersion::version)
                    .map(v -> "version " + v).orElse("none yet");
            int keys = (int) control.keys(s.slug()).stream().filter(k -> !k.revoked()).count();
            return new Model.SpaceRow(s.slug(), s.name(), s.environment().id(), s.partitions(),
                    Formats.time(s.createdAt()), program, keys,
                    a == null ? "—" : Formats.number(a.outcomes()),
                    a == null ? "—" : a.latest().map(Formats::time).orElse("no outcomes yet"));
        }).toList();
        Model.SpacesView view = new Model.SpacesView(chrome.page(ctx, "Spaces", Optional.empty(), "spaces"), rows,
                notice, spaces.isEmpty() ? SpaceAdmin.DEFAULT_PARTITIONS : admin.defaultPartitions(), form);
        Web.html(ctx, status, views.render("spaces", view));
    }
}
