package io.perkamo.console;

import java.util.Optional;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.perkamo.control.keys.OperatorToken;

/**
 * Sign-in with the operator token, and sign-out. The sign-in form is protected against CSRF
 * before any session exists by a double submit: a random value in a SameSite cookie and the
 * same value in the form.
 */
final class SignInPages {
    private static final long SIGN_IN_COOKIE_SECONDS = 30 * 60;
    private final Optional<OperatorToken> token;
    private final Sessions sessions;
    private final Views views;

    SignInPages(Optional<OperatorToken> token, Sessions sessions, Views views) {
        this.token = token;
        this.sessions = sessions;
        this.views = views;
    }

    void show(Context ctx) {
        if (sessions.find(ctx.cookie(Web.SESSION_COOKIE)).isPresent()) {
            ctx.redirect(Web.safeNext(ctx.queryParam("next")), HttpStatus.SEE_OTHER);
            return;
        }
        Optional<Model.Notice> notice = ctx.queryParam("signed_out") != null
                ? Optional.of(Model.Notice.ok("Signed out", "Sign in again with the operator token."))
                : Optional.empty();
        render(ctx, 200, notice);
    }

    void submit(Context ctx) {
        if (token.isEmpty()) {
            render(ctx, 503, Optional.empty());
            return;
        }
        String cookie = ctx.cookie(Web.SIGN_IN_COOKIE);
        if (cookie == null || !Sessions.same(cookie, ctx.formParam(Web.CSRF_FIELD))) {
            render(ctx, 403, Optional.of(Model.Notice.error("The sign-in form expired",
                    "It is valid for 30 minutes and only in this browser. Try again.")));
            return;
        }
        if (!sessions.allowAttempt()) {
            ctx.header("retry-after", "60");
            render(ctx, 429, Optional.of(Model.Notice.error("Too many attempts",
                    "Wait a minute before trying again.")));
            return;
        }
        if (!token.get().matches(Web.form(ctx, "token").strip())) {
            sessions.failed();
            render(ctx, 401, Optional.of(Model.Notice.error("That is not the operator token",
                    "Use the token printed when Perkamo started, or the value of " + OperatorToken.ENV + ".")));
            return;
        }
        Sessions.Created created = sessions.create();
        Web.clearCookie(ctx, Web.SIGN_IN_COOKIE);
        Web.setCookie(ctx, Web.SESSION_COOKIE, created.cookie(), Sessions.TTL.toSeconds());
        ctx.redirect(Web.safeNext(ctx.formParam("next")), HttpStatus.SEE_OTHER);
    }

    void signOut(Context ctx) {
        sessions.remove(ctx.cookie(Web.SESSION_COOKIE));
        Web.clearCookie(ctx, Web.SESSION_COOKIE);
        if (Web.htmx(ctx)) {
            ctx.header("hx-redirect", Web.BASE + "/sign-in?signed_out=1");
            ctx.status(204);
            return;
        }
        ctx.redirect(Web.BASE + "/sign-in?signed_out=1", HttpStatus.SEE_OTHER);
    }

    private void render(Context ctx, int status, Optional<Model.Notice> notice) {
        String csrf = Sessions.random();
        Web.setCookie(ctx, Web.SIGN_IN_COOKIE, csrf, SIGN_IN_COOKIE_SECONDS);
        String next = Web.safeNext(Optional.ofNullable(ctx.formParam("next")).orElse(ctx.queryParam("next")));
        Web.html(ctx, status, views.render("sign-in", new Model.SignIn(csrf, next, notice, token.isPresent())));
    }
}
