package io.perkamo.console;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ControlPlaneException;
import io.perkamo.control.Space;
import io.perkamo.control.UnknownSpaceException;
import io.perkamo.control.keys.OperatorToken;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.topics.OutcomeFeed;
import io.perkamo.topics.UserOutcomes;
import io.perkamo.topics.WebhookDelivery;
import io.perkamo.topics.WireFormats;

/**
 * The operator console at {@code /console}, served by the API's server through the route hook
 * node wires: sign-in with the operator token, then pages over the same admin operations the
 * API and CLI use (SpaceAdmin, ApiKeys, ProgramPublisher, FoldStep, the profile lookup of
 * {@code GET /v1/customer/{id}}, the outcome feed, the usage meters of {@code GET /v1/usage}). Every route but sign-in and the static
 * assets needs a session; every state-changing call needs the session's CSRF token.
 */
public final class Console implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Console.class);

    /**
     * @param token the operator token; empty: the console only says how to configure one
     */
    public record Config(Optional<OperatorToken> token, String bootstrapServers, WireFormats formats, Clock clock) {
        public Config {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(formats, "formats");
            Objects.requireNonNull(clock, "clock");
        }
    }

    /** A customer's profile, looked up as {@code GET /v1/customer/{user_id}} does. */
    @FunctionalInterface
    public interface Profiles {
        ProfileRead read(String space, String userId);
    }

    public sealed interface ProfileRead permits Found, NotFound, Unavailable {
    }

    public record Found(Profile profile) implements ProfileRead {
    }

    public record NotFound() implements ProfileRead {
    }

    public record Unavailable(String reason) implements ProfileRead {
    }

    /**
     * A Space's webhook delivery log, read and resent as {@code GET /v1/admin/webhooks/deliveries}
     * and its resend do.
     */
    public interface Webhooks {
        /** The latest state of recent deliveries, newest first. */
        List<WebhookDelivery> recent(String space, int limit);

        Resend resend(String space, String deliveryId);
    }

    public enum Resend { RESENT, UNKNOWN, NOT_FINISHED, PAYLOAD_GONE }

    /**
     * A what-if of a draft program over the Space's real history, run as {@code POST /v1/admin/simulate}
     * runs it (the same bounds, one simulation at a time per instance).
     */
    @FunctionalInterface
    public interface WhatIfs {
        /** @param effectiveAt from when the draft replaces the Space's program (empty: the beginning) */
        WhatIfRun simulate(String space, JsonNode program, Optional<Instant> effectiveAt);
    }

    public sealed interface WhatIfRun permits Simulated, NotSimulated {
    }

    /** The what-if's summary, the document {@code POST /v1/admin/simulate} answers. */
    public record Simulated(ObjectNode summary) implements WhatIfRun {
    }

    /** Refused: past the server's bounds, busy, or an invalid draft; {@code reason} says which, in words. */
    public record NotSimulated(String reason) implements WhatIfRun {
    }

    /** A Space's usage meters per UTC day, read as {@code GET /v1/usage} reads them. */
    public interface Usage {
        /**
         * @return the days from {@code from} to {@code to} (both included) as {@code GET /v1/usage}'s
         *         {@code days}: one object of counters per date, a day without activity as zeros
         * @throws IllegalStateException when the meters cannot be read now (starting, rebalancing)
         */
        JsonNode days(String space, LocalDate from, LocalDate to);

        /** The longest range one read answers, in days. */
        int maxDays();
    }

    private final Config config;
    private final ControlPlane control;
    private final Sessions sessions;
    private final Views views = new Views();
    private final Assets assets = new Assets();
    private final Chrome chrome;
    private final SignInPages signIn;
    private final SpacePages spacePages;
    private final KeyPages keyPages;
    private final ProgramPages programPages;
    private final CustomerPages customerPages;
    private final LivePages livePages;
    private final UsagePages usagePages;
    private final WebhookPages webhookPages;
    private final SpaceActivity activity;

    public Console(Config config, ControlPlane control, Profiles profiles, OutcomeFeed feed, Webhooks webhooks,
                   WhatIfs whatIfs, Usage usage) {
        this.config = config;
        this.control = control;
        this.sessions = new Sessions(config.clock());
        this.chrome = new Chrome(control);
        this.activity = new SpaceActivity(config.bootstrapServers());
        this.signIn = new SignInPages(config.token(), sessions, views);
        this.spacePages = new SpacePages(control, views, chrome, activity, config.clock());
        this.keyPages = new KeyPages(control, views, chrome, config.clock());
        this.programPages = new ProgramPages(control, views, chrome, config.clock(), profiles, whatIfs);
        this.customerPages = new CustomerPages(views, chrome, profiles,
                new UserOutcomes(config.bootstrapServers(), config.formats()));
        this.livePages = new LivePages(views, chrome, feed);
        this.usagePages = new UsagePages(views, chrome, usage, config.clock());
        this.webhookPages = new WebhookPages(control, views, chrome, webhooks);
    }

    /**
     * Adds the console's routes to the API's server; {@code named} wraps a handler so the access
     * log and metrics name its route template.
     */
    public void install(JavalinConfig cfg, BiFunction<String, Handler, Handler> named) {
        var r = cfg.routes;
        String b = Web.BASE;
        r.get(b + "/assets/{name}", named.apply(b + "/assets/{name}", assets::serve));
        r.get(b + "/sign-in", named.apply(b + "/sign-in", page(signIn::show)));
        r.post(b + "/sign-in", named.apply(b + "/sign-in", page(signIn::submit)));
        r.post(b + "/sign-out", named.apply(b + "/sign-out", guarded(signIn::signOut)));
        r.get(b, named.apply(b, guarded(ctx -> ctx.redirect(b + "/spaces", io.javalin.http.HttpStatus.SEE_OTHER))));
        r.get(b + "/", named.apply(b, guarded(ctx -> ctx.redirect(b + "/spaces", io.javalin.http.HttpStatus.SEE_OTHER))));
        r.get(b + "/spaces", named.apply(b + "/spaces", guarded(spacePages::list)));
        r.post(b + "/spaces", named.apply(b + "/spaces", guarded(spacePages::create)));
        String s = b + "/spaces/{space}";
        r.get(s, named.apply(s, guarded(inSpace((ctx, space) -> ctx.redirect(b + "/spaces/" + space.slug()
                + "/program", io.javalin.http.HttpStatus.SEE_OTHER)))));
        r.get(s + "/keys", named.apply(s + "/keys", guarded(inSpace(keyPages::list))));
        r.post(s + "/keys", named.apply(s + "/keys", guarded(inSpace(keyPages::create))));
        r.post(s + "/keys/{key}/revoke", named.apply(s + "/keys/{key}/revoke", guarded(inSpace(keyPages::revoke))));
        r.post(s + "/keys/{key}/rotate", named.apply(s + "/keys/{key}/rotate", guarded(inSpace(keyPages::rotate))));
        r.post(s + "/keys/{key}/policy", named.apply(s + "/keys/{key}/policy", guarded(inSpace(keyPages::policy))));
        r.post(s + "/keys/{key}/signing", named.apply(s + "/keys/{key}/signing",
                guarded(inSpace(keyPages::createSigning))));
        r.get(s + "/program", named.apply(s + "/program", guarded(inSpace(programPages::show))));
        r.post(s + "/program/check", named.apply(s + "/program/check", guarded(inSpace(programPages::check))));
        r.post(s + "/program/dry-run", named.apply(s + "/program/dry-run", guarded(inSpace(programPages::dryRun))));
        r.post(s + "/program/what-if", named.apply(s + "/program/what-if", guarded(inSpace(programPages::whatIf))));
        r.post(s + "/program/apply", named.apply(s + "/program/apply", guarded(inSpace(programPages::apply))));
        r.get(s + "/program/versions/{version}", named.apply(s + "/program/versions/{version}",
                guarded(inSpace(programPages::version))));
        r.get(s + "/customers", named.apply(s + "/customers", guarded(inSpace(customerPages::show))));
        r.get(s + "/live", named.apply(s + "/live", guarded(inSpace(livePages::show))));
        SseHandler stream = new SseHandler(client -> livePages.stream(client, space(client)));
        r.get(s + "/live/stream", named.apply(s + "/live/stream", guarded(inSpace((ctx, space) -> stream.handle(ctx)))));
        r.get(s + "/webhooks", named.apply(s + "/webhooks", guarded(inSpace(webhookPages::show))));
        r.post(s + "/webhooks", named.apply(s + "/webhooks", guarded(inSpace(webhookPages::add))));
        r.post(s + "/webhooks/deliveries/{delivery}/resend", named.apply(s + "/webhooks/deliveries/{delivery}/resend",
                guarded(inSpace(webhookPages::resend))));
        r.get(s + "/usage", named.apply(s + "/usage", guarded(inSpace(usagePages::show))));
        r.get(b + "/<rest>", named.apply(b + "/*", guarded(ctx -> errorPage(ctx, 404, "Not found",
                "There is no console page at this address."))));
        r.post(b + "/<rest>", named.apply(b + "/*", guarded(ctx -> errorPage(ctx, 404, "Not found",
                "There is no console page at this address."))));
    }

    /** The routes a test walks to check that none answers without a session. */
    static List<String> signedInPaths(String space) {
        String s = Web.BASE + "/spaces/" + space;
        return List.of(Web.BASE, Web.BASE + "/spaces", s, s + "/keys", s + "/program", s + "/program/versions/1",
                s + "/customers?user_id=a", s + "/live", s + "/live/stream", s + "/webhooks", s + "/usage",
                Web.BASE + "/nowhere");
    }

    @FunctionalInterface
    interface SpaceHandler {
        void handle(Context ctx, Space space) throws Exception;
    }

    private static final String SPACE_ATTRIBUTE = "perkamo.console.space";

    private Handler inSpace(SpaceHandler handler) {
        return ctx -> {
            String slug = ctx.pathParam("space");
            Optional<Space> space = control.space(slug);
            if (space.isEmpty()) {
                errorPage(ctx, 404, "No such Space", "There is no Space named " + slug + ".");
                return;
            }
            ctx.attribute(SPACE_ATTRIBUTE, space.get());
            handler.handle(ctx, space.get());
        };
    }

    private static Space space(SseClient client) {
        return client.ctx().attribute(SPACE_ATTRIBUTE);
    }

    /** A public page: only the errors are handled here. */
    private Handler page(Handler handler) {
        return ctx -> {
            Web.securityHeaders(ctx);
            run(ctx, handler);
        };
    }

    /** Signed-in only; a state-changing call also needs the session's CSRF token and our own origin. */
    private Handler guarded(Handler handler) {
        return ctx -> {
            Web.securityHeaders(ctx);
            Optional<Sessions.Session> session = sessions.find(ctx.cookie(Web.SESSION_COOKIE));
            if (session.isEmpty()) {
                unauthenticated(ctx);
                return;
            }
            if (!Web.reads(ctx)) {
                String presented = Optional.ofNullable(ctx.header(Web.CSRF_HEADER)).orElseGet(() -> ctx.formParam(Web.CSRF_FIELD));
                if (!Sessions.same(session.get().csrf(), presented) || !sameOrigin(ctx)) {
                    errorPage(ctx, 403, "Refused", "This form is out of date or did not come from this console"
                            + " (its security token is missing or wrong). Reload the page and try again.");
                    return;
                }
            }
            ctx.attribute(Chrome.SESSION_ATTRIBUTE, session.get());
            run(ctx, handler);
        };
    }

    private void run(Context ctx, Handler handler) throws Exception {
        try {
            handler.handle(ctx);
        } catch (UnknownSpaceException e) {
            errorPage(ctx, 404, "No such Space", e.getMessage());
        } catch (IllegalArgumentException e) {
            errorPage(ctx, 400, "That did not work", e.getMessage());
        } catch (ControlPlaneException e) {
            errorPage(ctx, 409, "That did not work", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("console request failed: {}", ctx.method(), e);
            errorPage(ctx, 500, "Something went wrong", "The request failed inside the server; the log has the"
                    + " details.");
        }
    }

    /** A page request goes to sign-in; a script's call or a stream gets 401. */
    private static void unauthenticated(Context ctx) {
        String accept = Optional.ofNullable(ctx.header("accept")).orElse("");
        if (Web.reads(ctx) && !Web.htmx(ctx) && !accept.contains("text/event-stream")) {
            String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
            ctx.redirect(Web.BASE + "/sign-in?next=" + Web.enc(ctx.path() + query), io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        ctx.header("hx-redirect", Web.BASE + "/sign-in");
        Web.html(ctx, 401, "<!doctype html><title>Sign in</title><p>Sign in to the console first: <a href=\""
                + Web.BASE + "/sign-in\">sign in</a>.</p>");
    }

    private static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("origin");
        if (origin == null) {
            return true; // a browser that sends no Origin: the session's token alone decides
        }
        String host = ctx.header("host");
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private void errorPage(Context ctx, int status, String title, String message) {
        Optional<Model.Page> page = Optional.ofNullable(ctx.<Sessions.Session>attribute(Chrome.SESSION_ATTRIBUTE))
                .map(s -> chrome.page(ctx, title, Optional.empty(), ""));
        Web.html(ctx, status, views.render("error", new Model.ErrorView(page, status, title, message)));
    }

    @Override
    public void close() {
        activity.close();
    }
}
