package io.perkamo.api;

import io.javalin.http.Context;

/**
 * CORS of the client routes. A preflight carries no token, so it is answered for an origin
 * that some live browser key allows; the request itself then gets CORS headers only when its
 * token's browser key allows the origin, and is refused (403 {@code origin_not_allowed},
 * without CORS headers) when it does not. Errors before a token is known (a missing or expired
 * token) carry the headers for origins some key allows, so a page can read the 401 and fetch
 * a fresh token. Requests without {@code Origin} (servers, mobile apps) are not affected.
 * No credentials mode: tokens travel in {@code Authorization}, never in cookies.
 */
final class Cors {
    static final String ORIGIN = "Origin";
    static final String ALLOW_METHODS = "GET, POST, OPTIONS";
    static final String ALLOW_HEADERS = "authorization, content-type, last-event-id";
    static final String EXPOSE_HEADERS = "x-perkamo-request-id, retry-after, ratelimit-limit, ratelimit-remaining,"
            + " ratelimit-reset";
    static final String MAX_AGE_SECONDS = "600";
    private static final String HANDLED = "perkamo.cors.handled";

    private final ClientAccess access;

    Cors(ClientAccess access) {
        this.access = access;
    }

    /** OPTIONS on a client route: 204, with the CORS headers when some key allows the origin. */
    void preflight(Context ctx) {
        String origin = ctx.header(ORIGIN);
        if (origin != null && access.anyKeyAllowsOrigin(origin)) {
            allow(ctx, origin);
            ctx.header("Access-Control-Allow-Methods", ALLOW_METHODS);
            ctx.header("Access-Control-Allow-Headers", ALLOW_HEADERS);
            ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
        }
        ctx.header("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        ctx.header(RequestIds.HEADER, Responses.requestId(ctx));
        ctx.status(204);
    }

    /** For a verified token: the headers when its key allows the origin, else 403 {@code origin_not_allowed}. */
    void forCaller(Context ctx, ClientCaller caller) {
        String origin = ctx.header(ORIGIN);
        ctx.attribute(HANDLED, Boolean.TRUE);
        if (origin == null) {
            return;
        }
        if (!caller.policy().allowsOrigin(origin)) {
            throw ApiError.forbidden("origin_not_allowed",
                    "this page's origin is not allowed by the browser key's policy (perkamo keys policy)");
        }
        allow(ctx, origin);
    }

    /** For an error answered before a token was accepted. */
    void forError(Context ctx) {
        String origin = ctx.header(ORIGIN);
        if (origin == null || Boolean.TRUE.equals(ctx.attribute(HANDLED))) {
            return;
        }
        if (access.anyKeyAllowsOrigin(origin)) {
            allow(ctx, origin);
        }
    }

    private static void allow(Context ctx, String origin) {
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        ctx.header("Vary", "Origin");
    }
}
