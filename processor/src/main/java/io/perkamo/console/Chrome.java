package io.perkamo.console;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.javalin.http.Context;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.Space;

/** The frame of a signed-in page: title, the Space switcher, the section, the CSRF token. */
final class Chrome {
    static final String SESSION_ATTRIBUTE = "perkamo.console.session";
    private final ControlPlane control;

    Chrome(ControlPlane control) {
        this.control = control;
    }

    Model.Page page(Context ctx, String title, Optional<Space> space, String section) {
        Sessions.Session session = ctx.attribute(SESSION_ATTRIBUTE);
        List<Model.SpaceLink> spaces = control.spaces().stream().sorted(Comparator.comparing(Space::slug))
                .map(s -> new Model.SpaceLink(s.slug(), s.environment().id(),
                        space.map(c -> c.slug().equals(s.slug())).orElse(false)))
                .toList();
        return new Model.Page(title, session == null ? "" : session.csrf(), space.map(Space::slug), section, spaces);
    }
}
