package io.perkamo.api;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/**
 * Authentication and authorization of server routes, in this order: key present (401
 * {@code missing_api_key}; a browser token instead is 403 {@code forbidden}), key known (401
 * {@code invalid_api_key}), server key (403 {@code forbidden}), signature when present or
 * required (401), scope (403 {@code insufficient_scope}); {@link #checkTenant} after the body is
 * parsed (403 {@code tenant_mismatch}). Client routes authenticate with {@link ClientAuth}.
 */
final class Guard {
    static final String API_KEY_HEADER = "x-perkamo-api-key";

    private final KeyDirectory keys;
    private final Clock clock;
    private static final long DRAIN_FACTOR = 16;
    private static final byte[] NO_BODY = new byte[0];
    private final long maxBodyBytes;
    private final RateLimiter limiter;

    Guard(KeyDirectory keys, Clock clock, long maxBodyBytes, RateLimiter limiter) {
        this.keys = keys;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.limiter = limiter;
    }

    /** The rate limits of client routes (counted once the token is known). */
    RateLimiter limiter() {
        return limiter;
    }

    /** A caller that passed authentication, with the raw body it sent. */
    record Call(ApiCaller caller, byte[] body) {
    }

    /** A server key with {@code scope}. */
    Call authenticate(Context ctx, String scope) {
        Call call = authenticateServerKey(ctx);
        if (!call.caller().has(scope)) {
            throw insufficientScope(scope);
        }
        return call;
    }

    /** A server key, whatever its scopes (the route checks what it needs). */
    Call authenticateServerKey(Context ctx) {
        String presented = ctx.header(API_KEY_HEADER);
        if (presented == null || presented.isBlank()) {
            if (ClientAuth.bearer(ctx).isPresent()) {
                throw ApiError.forbidden("forbidden",
                        "browser tokens can only call /v1/client/*; server routes need a server key (sk_...)");
            }
            throw ApiError.unauthorized("missing_api_key", "send your server API key in the x-perkamo-api-key header");
        }
        String key = presented.trim();
        Optional<ApiCaller> resolved = keys.resolve(key);
        if (resolved.isEmpty()) {
            throw ApiError.unauthorized("invalid_api_key", "the API key is unknown or revoked");
        }
        ApiCaller caller = resolved.get();
        if (caller.kind() != ApiCaller.Kind.SERVER) {
            throw ApiError.forbidden("forbidden",
                    "browser keys cannot call server routes; use a server key (sk_...) from your backend");
        }
        limiter.server(ctx, caller);
        byte[] body = readBody(ctx);
        String signature = ctx.header(Signatures.SIGNATURE_HEADER);
        boolean mutating = !"GET".equals(ctx.req().getMethod()) && !"HEAD".equals(ctx.req().getMethod());
        if (signature != null && !signature.isBlank()) {
            Signatures.verify(key, signature, ctx.header(Signatures.TIMESTAMP_HEADER), ctx.req().getMethod(),
                    ctx.req().getRequestURI(), body, clock);
        } else if (caller.requireSignatures() && mutating) {
            throw ApiError.unauthorized("signature_required",
                    "this Space requires signed requests: send x-perkamo-timestamp and x-perkamo-signature");
        }
        return new Call(caller, body);
    }

    static ApiError insufficientScope(String scope) {
        return new ApiError(403, "insufficient_scope", "this credential lacks the scope " + scope,
                Json.object().put("scope", scope), Map.of());
    }

    /**
     * {@code tenant} or {@code space}, in the query string or at the top level of the body (and
     * of each batch item), must name the key's Space when present.
     */
    static void checkTenant(ApiCaller caller, Context ctx, JsonNode body) {
        checkTenant(caller.space(), ctx, body);
    }

    /** The same for a caller of the Space {@code space} (a browser token's). */
    static void checkTenant(String space, Context ctx, JsonNode body) {
        for (String name : new String[] {"tenant", "space"}) {
            for (String value : ctx.queryParams(name)) {
                requireSame(space, value);
            }
        }
        checkTenantFields(space, body);
        JsonNode events = body == null ? null : body.get("events");
        if (events != null && events.isArray()) {
            for (Iterator<JsonNode> it = events.elements(); it.hasNext(); ) {
                checkTenantFields(space, it.next());
            }
        }
    }

    private static void checkTenantFields(String caller, JsonNode node) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (String name : new String[] {"tenant", "space"}) {
            JsonNode v = node.get(name);
            if (v != null && !v.isNull()) {
                requireSame(caller, v.isValueNode() ? v.asText() : v.toString());
            }
        }
    }

    private static void requireSame(String space, String value) {
        if (!space.equals(value)) {
            throw ApiError.forbidden("tenant_mismatch",
                    "the tenant/space given does not match the Space of this API key; omit it or send the key's Space");
        }
    }

    /**
     * Reads the raw body, refusing more than the limit with 413 {@code payload_too_large}. Reads
     * (most GETs have no body) and bodies of a declared length allocate only what they hold:
     * {@code readNBytes(limit)} took an 8 KiB buffer per request, ~15% of a profile read's garbage.
     */
    byte[] readBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > maxBodyBytes) {
                drain(in, declared);
                throw tooLarge(maxBodyBytes);
            }
            if (declared >= 0) {
                return in.readNBytes((int) Math.min(declared, Integer.MAX_VALUE - 8));
            }
            int first = in.read();
            if (first < 0) {
                return NO_BODY;
            }
            byte[] rest = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes));
            if (rest.length + 1 > maxBodyBytes) {
                drain(in, Long.MAX_VALUE);
                throw tooLarge(maxBodyBytes);
            }
            byte[] bytes = new byte[rest.length + 1];
            bytes[0] = (byte) first;
            System.arraycopy(rest, 0, bytes, 1, rest.length);
            return bytes;
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_body", "the request body could not be read");
        }
    }

    /**
     * Reads and drops a refused body (up to a bound), so the client, still sending, reads the
     * 413 instead of a reset connection. Beyond the bound Jetty closes the connection.
     */
    private void drain(InputStream in, long declared) throws IOException {
        long bound = Math.max(maxBodyBytes, 1) * DRAIN_FACTOR;
        if (declared <= bound) {
            long left = bound;
            byte[] sink = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        }
    }

    static ApiError tooLarge(long max) {
        return new ApiError(413, "payload_too_large", "the request body is larger than " + max + " bytes");
    }
}
