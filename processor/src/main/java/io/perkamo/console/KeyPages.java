package io.perkamo.console;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.CreatedKey;
import io.perkamo.control.Space;

/**
 * A Space's keys through {@link ApiKeys}: the list (never a secret: the display prefix only),
 * create (the secret is in that one answer, never again), revoke.
 */
final class KeyPages {
    static final Model.Feature ACCESS = new Model.Feature(false, "Browser key policy, signing keys and key rotation",
            "Not configured in the console yet: browser key policies (allowed origins, events, token lifetime),"
                    + " signing keys and key rotation are managed with the CLI for now (perkamo keys policy,"
                    + " perkamo keys create --kind signing, perkamo keys rotate; see the README, Keys). Browser keys"
                    + " created here get the default policy of the Space's environment.");
    private final ControlPlane control;
    private final ApiKeys keys;
    private final Views views;
    private final Chrome chrome;

    KeyPages(ControlPlane control, Views views, Chrome chrome, Clock clock) {
        this.control = control;
        this.keys = new ApiKeys(control);
        this.views = views;
        this.chrome = chrome;
    }

    void list(Context ctx, Space space) {
        Optional<Model.Notice> notice = Optional.ofNullable(ctx.queryParam("revoked"))
                .map(id -> Model.Notice.ok("Key " + id + " revoked", "Requests with it are refused from now on."));
        render(ctx, space, 200, Optional.empty(), notice);
    }

    void create(Context ctx, Space space) {
        Optional<ApiKeyRecord.Kind> kind = ApiKeyRecord.Kind.parse(Web.form(ctx, "kind"));
        if (kind.isEmpty()) {
            render(ctx, space, 400, Optional.empty(), Optional.of(Model.Notice.error("No key was created",
                    "Choose a server or a browser key.")));
            return;
        }
        Set<String> scopes = kind.get() == ApiKeyRecord.Kind.SERVER
                ? new LinkedHashSet<>(ctx.formParams("scope")) : Set.of();
        if (kind.get() == ApiKeyRecord.Kind.SERVER && scopes.isEmpty()) {
            render(ctx, space, 400, Optional.empty(), Optional.of(Model.Notice.error("No key was created",
                    "A server key needs at least one scope.")));
            return;
        }
        CreatedKey created = keys.create(space.slug(), kind.get(), scopes);
        render(ctx, space, 200, Optional.of(new Model.NewKey(created.id(), kind.get().id(), created.plaintext())),
                Optional.empty());
    }

    void revoke(Context ctx, Space space) {
        String id = ctx.pathParam("key");
        Optional<ApiKeyRecord> key = control.key(id).filter(k -> k.space().equals(space.slug()));
        if (key.isEmpty()) {
            render(ctx, space, 404, Optional.empty(), Optional.of(Model.Notice.error("No such key",
                    "This Space has no key " + id + ".")));
            return;
        }
        keys.revoke(id);
        ctx.redirect(Web.BASE + "/spaces/" + space.slug() + "/keys?revoked=" + Web.enc(id), HttpStatus.SEE_OTHER);
    }

    private void render(Context ctx, Space space, int status, Optional<Model.NewKey> created,
                        Optional<Model.Notice> notice) {
        List<Model.KeyRow> rows = control.keys(space.slug()).stream()
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .map(k -> new Model.KeyRow(k.id(), k.kind().id(), k.prefix(), String.join(", ", new TreeSet<>(k.scopes())),
                        Formats.time(k.createdAt()), k.revokedAt().map(r -> "revoked " + Formats.time(r)).orElse("active"),
                        !k.revoked(), "—"))
                .toList();
        Model.KeysView view = new Model.KeysView(chrome.page(ctx, "Keys · " + space.slug(), Optional.of(space), "keys"),
                rows, created, notice, List.copyOf(new TreeSet<>(ApiKeys.SERVER_SCOPES)), ACCESS);
        Web.html(ctx, status, views.render("keys", view));
    }
}
