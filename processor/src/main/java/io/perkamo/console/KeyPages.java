package io.perkamo.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
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
import io.perkamo.control.ControlPlaneException;
import io.perkamo.control.CreatedKey;
import io.perkamo.control.Space;
import io.perkamo.control.keys.BrowserPolicy;

/**
 * A Space's keys through {@link ApiKeys}, as {@code perkamo keys} and the key admin API: the list
 * (never a secret: the display prefix only) with the approximate last use the access work
 * records, create, revoke, rotate (the old key valid until a chosen time), signing keys of a
 * browser key and the browser key policies. A secret is on the one answer that created it only.
 */
final class KeyPages {
    /** How long a rotated key keeps working unless the operator picks another time: as the CLI's default. */
    static final Duration ROTATION_GRACE = Duration.ofHours(24);
    private final ControlPlane control;
    private final ApiKeys keys;
    private final Views views;
    private final Chrome chrome;
    private final Clock clock;

    KeyPages(ControlPlane control, Views views, Chrome chrome, Clock clock) {
        this.control = control;
        this.keys = new ApiKeys(control);
        this.views = views;
        this.chrome = chrome;
        this.clock = clock;
    }

    void list(Context ctx, Space space) {
        Optional<Model.Notice> notice = Optional.ofNullable(ctx.queryParam("revoked"))
                .map(id -> Model.Notice.ok("Key " + id + " revoked", "Requests with it are refused from now on."))
                .or(() -> Optional.ofNullable(ctx.queryParam("policy"))
                        .map(id -> Model.Notice.ok("Policy of " + id + " saved", "New tokens get it at once.")));
        render(ctx, space, 200, Optional.empty(), notice);
    }

    void create(Context ctx, Space space) {
        Optional<ApiKeyRecord.Kind> kind = ApiKeyRecord.Kind.parse(Web.form(ctx, "kind"))
                .filter(k -> k != ApiKeyRecord.Kind.SIGNING);
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

    /** A signing key of a browser key, as {@code perkamo keys create --kind signing --browser-key}. */
    void createSigning(Context ctx, Space space) {
        Optional<ApiKeyRecord> browser = key(ctx, space).filter(k -> k.kind() == ApiKeyRecord.Kind.BROWSER);
        if (browser.isEmpty()) {
            notFound(ctx, space, "browser key");
            return;
        }
        CreatedKey created = keys.createSigningKey(browser.get().id(), Set.of());
        render(ctx, space, 200, Optional.of(new Model.NewKey(created.id(), "signing", created.plaintext())),
                Optional.of(Model.Notice.ok("Signing key " + created.id() + " created for " + browser.get().id(),
                        "Sign client tokens with it (kid " + created.id() + "); they get the browser key's policy.")));
    }

    void revoke(Context ctx, Space space) {
        Optional<ApiKeyRecord> key = key(ctx, space);
        if (key.isEmpty()) {
            notFound(ctx, space, "key");
            return;
        }
        keys.revoke(key.get().id());
        ctx.redirect(Web.BASE + "/spaces/" + space.slug() + "/keys?revoked=" + Web.enc(key.get().id()),
                HttpStatus.SEE_OTHER);
    }

    /** A successor, shown once; the old key keeps working until the time chosen (empty: 24 h from now). */
    void rotate(Context ctx, Space space) {
        Optional<ApiKeyRecord> key = key(ctx, space);
        if (key.isEmpty()) {
            notFound(ctx, space, "key");
            return;
        }
        Instant until;
        try {
            until = until(Web.form(ctx, "old_valid_until"), clock.instant());
        } catch (IllegalArgumentException e) {
            render(ctx, space, 400, Optional.empty(), Optional.of(Model.Notice.error("Not rotated", e.getMessage())));
            return;
        }
        try {
            ApiKeys.Rotated rotated = keys.rotate(key.get().id(), until);
            CreatedKey next = rotated.created();
            render(ctx, space, 200, Optional.of(new Model.NewKey(next.id(), next.record().kind().id(), next.plaintext())),
                    Optional.of(Model.Notice.ok("Key " + key.get().id() + " rotated to " + next.id(),
                            "The old key keeps working until " + rotated.old().expiresAt().map(Formats::time)
                                    .orElse("now") + "; switch your deployments to the new one before then.")));
        } catch (ControlPlaneException e) {
            render(ctx, space, 409, Optional.empty(), Optional.of(Model.Notice.error("Not rotated", e.getMessage())));
        }
    }

    /** A browser key's policy, as {@code perkamo keys policy}: the whole policy from the form, or its default. */
    void policy(Context ctx, Space space) {
        Optional<ApiKeyRecord> key = key(ctx, space).filter(k -> k.kind() == ApiKeyRecord.Kind.BROWSER);
        if (key.isEmpty()) {
            notFound(ctx, space, "browser key");
            return;
        }
        Optional<BrowserPolicy> policy = Optional.empty();
        try {
            if (!Web.checked(ctx, "reset")) {
                int ttl;
                try {
                    ttl = Integer.parseInt(Web.form(ctx, "max_ttl").strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("The token lifetime is a number of seconds, 1 to "
                            + BrowserPolicy.MAX_TOKEN_TTL_SECONDS + ".");
                }
                policy = Optional.of(new BrowserPolicy(list(Web.form(ctx, "origins")), list(Web.form(ctx, "events")),
                        ttl));
            }
            keys.setBrowserPolicy(key.get().id(), policy);
        } catch (IllegalArgumentException e) {
            render(ctx, space, 400, Optional.empty(), Optional.of(Model.Notice.error("The policy of "
                    + key.get().id() + " was not changed", e.getMessage())));
            return;
        }
        ctx.redirect(Web.BASE + "/spaces/" + space.slug() + "/keys?policy=" + Web.enc(key.get().id()),
                HttpStatus.SEE_OTHER);
    }

    // ----

    private Optional<ApiKeyRecord> key(Context ctx, Space space) {
        String id = ctx.pathParam("key");
        return control.key(id).filter(k -> k.space().equals(space.slug()));
    }

    private void notFound(Context ctx, Space space, String what) {
        render(ctx, space, 404, Optional.empty(), Optional.of(Model.Notice.error("No such " + what,
                "This Space has no " + what + " " + ctx.pathParam("key") + ".")));
    }

    /** Entries separated by commas, spaces or lines. */
    private static List<String> list(String text) {
        return Arrays.stream(text.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A datetime-local value (read as UTC) or an RFC 3339 time; empty: 24 h from now; past: at once. */
    static Instant until(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return now.plus(ROTATION_GRACE);
        }
        try {
            return ProgramPages.effectiveAt(text).orElseThrow();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\u201cOld key valid until\u201d must be a time like 2026-07-01T00:00"
                    + " (UTC) or 2026-07-01T00:00:00Z, not \u201c" + text.strip() + "\u201d.");
        }
    }

    private void render(Context ctx, Space space, int status, Optional<Model.NewKey> created,
                        Optional<Model.Notice> notice) {
        control.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        Instant now = clock.instant();
        List<ApiKeyRecord> all = control.keys(space.slug()).stream()
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt())).toList();
        List<Model.KeyRow> rows = all.stream()
                .map(k -> new Model.KeyRow(k.id(), k.kind().id(), k.prefix(), String.join(", ", new TreeSet<>(k.scopes())),
                        Formats.time(k.createdAt()), k.status(now), statusDetail(k, now), k.live(now),
                        control.lastUsed(k.id()).map(Formats::time).orElse("never"),
                        k.kind() == ApiKeyRecord.Kind.BROWSER,
                        k.browserKeyId().map(b -> "signs for " + b).orElse("")))
                .toList();
        List<Model.PolicyRow> policies = all.stream().filter(k -> k.kind() == ApiKeyRecord.Kind.BROWSER && k.live(now))
                .map(k -> {
                    BrowserPolicy p = k.effectivePolicy(space.environment());
                    List<String> signing = all.stream().filter(s -> s.browserKeyId().equals(Optional.of(k.id()))
                            && s.live(now)).map(ApiKeyRecord::id).toList();
                    return new Model.PolicyRow(k.id(), k.prefix(), String.join("\n", p.allowedOrigins()),
                            String.join(", ", p.allowedEvents()), String.valueOf(p.maxTtlSeconds()),
                            k.browserPolicy().isEmpty(), space.environment().id(), signing);
                }).toList();
        String rotateDefault = LocalDateTime.ofInstant(now.plus(ROTATION_GRACE).truncatedTo(ChronoUnit.MINUTES),
                ZoneOffset.UTC).toString();
        Model.KeysView view = new Model.KeysView(chrome.page(ctx, "Keys · " + space.slug(), Optional.of(space), "keys"),
                rows, created, notice, List.copyOf(new TreeSet<>(ApiKeys.SERVER_SCOPES)), policies, rotateDefault,
                BrowserPolicy.MAX_TOKEN_TTL_SECONDS);
        Web.html(ctx, status, views.render("keys", view));
    }

    /** The time that goes with the status: when it was revoked, expired or stops working. */
    private static String statusDetail(ApiKeyRecord k, Instant now) {
        return switch (k.status(now)) {
            case "revoked" -> "revoked " + Formats.time(k.revokedAt().orElse(null));
            case "expired" -> "expired " + Formats.time(k.expiresAt().orElse(null));
            case "expiring" -> "works until " + Formats.time(k.expiresAt().orElse(null));
            default -> "";
        };
    }
}
