package io.perkamo.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;
import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Input;

/**
 * Browser access: POST /v1/browser-tokens (a server key mints a token for one user of its
 * Space, what the SDK's {@code createBrowserToken} and {@code createBrowserStreamToken} send and
 * parse), and the client routes a token calls: GET /v1/client/customer (its own profile) and
 * POST /v1/client/events (events for its own user, through the same ingest path as
 * /v1/events, only keys its browser key's policy allows).
 */
final class AccessHandlers {
    static final int MAX_TTL_SECONDS = 1800;
    static final int MAX_USER_ID_BYTES = 256;

    private final Guard guard;
    private final ClientAuth clientAuth;
    private final ClientAccess access;
    private final IngestHandlers ingest;
    private final ReadHandlers reads;

    AccessHandlers(Guard guard, ClientAuth clientAuth, ClientAccess access, IngestHandlers ingest,
                   ReadHandlers reads) {
        this.guard = guard;
        this.clientAuth = clientAuth;
        this.access = access;
        this.ingest = ingest;
        this.reads = reads;
    }

    /** {@code {browser_key, user_id, ttl_seconds? (1..1800), purpose? ("stream")}} -> {@code {token, token_type, expires_at, expires_in}}. */
    void mint(Context ctx) {
        Guard.Call call = guard.authenticateServerKey(ctx);
        JsonNode body = IngestHandlers.requireObject(Json.parse(call.body()));
        Guard.checkTenant(call.caller(), ctx, body);
        String browserKey = text(body, "browser_key");
        if (browserKey == null || browserKey.isBlank()) {
            throw ApiError.badRequest("invalid_browser_key", "browser_key (pk_...) is required");
        }
        String userId = text(body, "user_id");
        if (userId == null || userId.isEmpty() || userId.getBytes(StandardCharsets.UTF_8).length > MAX_USER_ID_BYTES) {
            throw ApiError.badRequest(ErrorCodes.INVALID_USER_ID, "user_id must be a string of 1 to "
                    + MAX_USER_ID_BYTES + " bytes");
        }
        OptionalInt ttl = OptionalInt.empty();
        JsonNode t = body.get("ttl_seconds");
        if (t != null && !t.isNull()) {
            if (!t.isIntegralNumber() || !t.canConvertToInt() || t.asInt() < 1 || t.asInt() > MAX_TTL_SECONDS) {
                throw ApiError.badRequest("invalid_ttl", "ttl_seconds must be an integer from 1 to " + MAX_TTL_SECONDS);
            }
            ttl = OptionalInt.of(t.asInt());
        }
        JsonNode purpose = body.get("purpose");
        boolean stream = false;
        if (purpose != null && !purpose.isNull()) {
            if (!purpose.isTextual() || !purpose.asText().equals("stream")) {
                throw ApiError.badRequest("invalid_purpose", "purpose is \"stream\" (a stream token) or absent");
            }
            stream = true;
        }
        ClientAccess.MintResult result = access.mint(call.caller(), browserKey.trim(), userId, ttl, stream);
        if (result instanceof ClientAccess.MintRefused refused) {
            throw switch (refused.reason()) {
                case UNKNOWN_BROWSER_KEY -> ApiError.badRequest("invalid_browser_key", refused.message());
                case OTHER_SPACE -> ApiError.forbidden("tenant_mismatch", refused.message());
                case NO_SCOPE -> new ApiError(403, "insufficient_scope", refused.message(), Json.object(), Map.of());
            };
        }
        ClientAccess.Minted minted = (ClientAccess.Minted) result;
        ObjectNode answer = Json.object();
        answer.put("token", minted.token());
        answer.put("token_type", "Bearer");
        answer.put("expires_at", minted.expiresAt().toString());
        answer.put("expires_in", minted.expiresIn());
        ArrayNode scope = answer.putArray("scope");
        minted.scopes().forEach(scope::add);
        ctx.header("cache-control", "no-store");
        Responses.json(ctx, 200, answer);
    }

    /** GET /v1/client/customer: the token's own profile. */
    void customer(Context ctx) {
        ClientAuth.ClientCall call = clientAuth.authenticate(ctx, ClientCaller.Scopes.PROFILE_READ,
                ClientAuth.TokenSource.HEADER);
        reads.answerProfile(ctx, call.caller().space(), call.caller().userId());
    }

    /**
     * POST /v1/client/events: {@code user_id} is the token's user (filled in when absent, 403
     * {@code user_mismatch} when another); the event must be allowed (403 {@code event_not_allowed}).
     */
    void event(Context ctx) {
        ClientAuth.ClientCall call = clientAuth.authenticate(ctx, ClientCaller.Scopes.EVENTS_WRITE,
                ClientAuth.TokenSource.HEADER);
        ClientCaller caller = call.caller();
        ObjectNode body = (ObjectNode) IngestHandlers.requireObject(Json.parse(call.body()));
        Guard.checkTenant(caller.space(), ctx, body);
        JsonNode userId = body.get("user_id");
        if (userId == null || userId.isNull()) {
            body.put("user_id", caller.userId());
        } else if (!userId.isTextual()) {
            throw ApiError.forbidden("user_mismatch", "a browser token acts for its own user only (its sub)");
        } else {
            ClientAuth.requireOwnUser(caller, userId.asText());
        }
        ingest.decide(ctx, caller.space(), InputValidator.Kind.EVENT, body, valid -> {
            String event = ((Input.Event) valid.input()).event();
            if (!caller.policy().allowsEvent(event)) {
                throw new ApiError(403, "event_not_allowed", "the browser key's policy does not allow the event "
                        + event, Json.object().put("event", event), Map.of());
            }
        });
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
