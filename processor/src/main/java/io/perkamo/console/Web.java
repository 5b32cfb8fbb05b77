package io.perkamo.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.javalin.http.Context;

/** HTTP details every console answer shares: security headers, cookies, htmx requests. */
final class Web {
    static final String SESSION_COOKIE = "perkamo_console";
    /** Holds the sign-in form's CSRF token before there is a session (double submit). */
    static final String SIGN_IN_COOKIE = "perkamo_console_signin";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "x-csrf-token";
    static final String BASE = "/console";
    /** Scripts and styles come from this server only; nothing inline, no frames, forms post here. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    private Web() {
    }

    static void securityHeaders(Context ctx) {
        ctx.header("content-security-policy", CSP);
        ctx.header("x-content-type-options", "nosniff");
        ctx.header("x-frame-options", "DENY");
        ctx.header("referrer-policy", "same-origin");
    }

    static void html(Context ctx, int status, String body) {
        securityHeaders(ctx);
        // pages may hold a secret shown once, and are per operator: never stored by a cache
        ctx.header("cache-control", "no-store");
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(body);
    }

    static boolean htmx(Context ctx) {
        return "true".equals(ctx.header("hx-request"));
    }

    static boolean https(Context ctx) {
        String forwarded = ctx.header("x-forwarded-proto");
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(forwarded);
    }

    /** An HttpOnly, SameSite=Strict cookie for the console's paths; Secure over HTTPS. */
    static void setCookie(Context ctx, String name, String value, long maxAgeSeconds) {
        StringBuilder c = new StringBuilder(name).append('=').append(value)
                .append("; Path=").append(BASE).append("; Max-Age=").append(maxAgeSeconds)
                .append("; HttpOnly; SameSite=Strict");
        if (https(ctx)) {
            c.append("; Secure");
        }
        ctx.res().addHeader("Set-Cookie", c.toString());
    }

    static void clearCookie(Context ctx, String name) {
        setCookie(ctx, name, "", 0);
    }

    static boolean reads(Context ctx) {
        String m = ctx.method().name().toUpperCase(Locale.ROOT);
        return m.equals("GET") || m.equals("HEAD");
    }

    /** A relative console path to go back to after signing in; anything else goes to the start. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith(BASE + "/") || next.startsWith("//") || next.contains("\\")
                || next.contains("://") || next.startsWith(BASE + "/sign-")) {
            return BASE + "/spaces";
        }
        return next;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String form(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v;
    }

    static boolean checked(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v != null && (v.equals("on") || v.equals("true"));
    }
}
