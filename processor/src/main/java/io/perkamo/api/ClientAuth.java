package io.perkamo.api;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.javalin.http.Context;

/**
 * Authentication of client routes ({@code /v1/client/*}) by a browser token: the one verifier
 * every client route uses, the stream included. In this order: no API key (403
 * {@code forbidden}: server and browser keys are refused here), a token (401
 * {@code missing_token}) from {@code Authorization: Bearer} or, where the route allows it (the
 * stream: EventSource cannot set headers), {@code ?token=}; the token verified (401 with the
 * refusal's code); the page's origin ({@link Cors}); the scope (403 {@code insufficient_scope});
 * a {@code user_id} or {@code tenant}/{@code space} in the query naming the token's own user
 * and Space (403 {@code user_mismatch}, {@code tenant_mismatch}).
 */
final class ClientAuth {
    static final String AUTHORIZATION = "Authorization";
    static final String TOKEN_QUERY = "token";

    /** Where a route takes the token from. */
    enum TokenSource { HEADER, HEADER_OR_QUERY }

    /** A caller that passed authentication, with the raw body it sent. */
    record ClientCall(ClientCaller caller, byte[] body) {
    }

    private final ClientAccess access;
    private final Guard guard;
    private final Cors cors;

    ClientAuth(ClientAccess access, Guard guard, Cors cors) {
        this.access = access;
        this.guard = guard;
        this.cors = cors;
    }

    ClientCall authenticate(Context ctx, String scope, TokenSource source) {
        if (ctx.header(Guard.API_KEY_HEADER) != null) {
            throw ApiError.forbidden("forbidden", "API keys cannot call /v1/client/*: mint a browser token for the"
                    + " user with POST /v1/browser-tokens and send it as Authorization: Bearer");
        }
        Optional<String> token = bearer(ctx);
        if (token.isEmpty() && source == TokenSource.HEADER_OR_QUERY) {
            token = Optional.ofNullable(ctx.queryParam(TOKEN_QUERY)).filter(t -> !t.isBlank());
        }
        if (token.isEmpty()) {
            throw new ApiError(401, "missing_token", "send a browser token as Authorization: Bearer <token>",
                    Json.object(), Map.of("www-authenticate", "Bearer"));
        }
        ClientAccess.Verification verification = access.verify(token.get());
        if (verification instanceof ClientAccess.Refused refused) {
            throw refusal(refused);
        }
        ClientCaller caller = ((ClientAccess.Verified) verification).caller();
        cors.forCaller(ctx, caller);
        guard.limiter().client(ctx, caller);
        if (!caller.has(scope)) {
            throw Guard.insufficientScope(scope);
        }
        for (String userId : ctx.queryParams("user_id")) {
            requireOwnUser(caller, userId);
        }
        Guard.checkTenant(caller.space(), ctx, null);
        return new ClientCall(caller, guard.readBody(ctx));
    }

    static void requireOwnUser(ClientCaller caller, String userId) {
        if (!caller.userId().equals(userId)) {
            throw ApiError.forbidden("user_mismatch", "a browser token acts for its own user only (its sub)");
        }
    }

    /** The token of {@code Authorization: Bearer <token>}, if that is what the header holds. */
    static Optional<String> bearer(Context ctx) {
        String header = ctx.header(AUTHORIZATION);
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return Optional.empty();
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static ApiError refusal(ClientAccess.Refused refused) {
        String code = switch (refused.reason()) {
            case MALFORMED, WRONG_TYPE, BAD_SIGNATURE, MISSING_CLAIM -> "invalid_token";
            case ALGORITHM_NOT_ALLOWED -> "token_algorithm_not_allowed";
            case UNKNOWN_KID -> "unknown_kid";
            case WRONG_AUDIENCE -> "invalid_audience";
            case EXPIRED -> "token_expired";
            case NOT_YET_VALID -> "token_not_yet_valid";
            case LIFETIME_TOO_LONG -> "token_lifetime_too_long";
        };
        return new ApiError(401, code, refused.message(), Json.object(),
                Map.of("www-authenticate", "Bearer error=\"invalid_token\""));
    }
}
