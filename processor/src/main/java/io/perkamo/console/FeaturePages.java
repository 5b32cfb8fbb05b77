package io.perkamo.console;

import java.util.Optional;

import io.javalin.http.Context;
import io.perkamo.control.Space;

/** Pages of features this server does not have yet: they say so plainly, never a broken page. */
final class FeaturePages {
    static final Model.Feature USAGE = new Model.Feature(false, "Usage",
            "The usage charts are not in the console yet. The meters are counted: read them per day with"
                    + " `perkamo usage --space SLUG` or `GET /v1/usage?from=YYYY-MM-DD&to=YYYY-MM-DD` (a server key).");
    private final Views views;
    private final Chrome chrome;

    FeaturePages(Views views, Chrome chrome) {
        this.views = views;
        this.chrome = chrome;
    }

    void usage(Context ctx, Space space) {
        render(ctx, space, "usage", USAGE);
    }

    private void render(Context ctx, Space space, String section, Model.Feature feature) {
        Web.html(ctx, 200, views.render("feature", new Model.FeatureView(chrome.page(ctx, feature.name() + " · "
                + space.slug(), Optional.of(space), section), feature)));
    }
}
