package io.perkamo.api;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/**
 * Key management of the caller's Space (scope {@code admin:config}), the same operations as
 * {@code perkamo keys}: GET /v1/admin/keys, POST /v1/admin/keys (create; the key is in the
 * answer this once), POST /v1/admin/keys/{id}/revoke, /rotate and /policy.
 */
final class KeyHandlers {
    /** How long a rotated key keeps working unless told otherwise. */
    static final Duration DEFAULT_ROTATION_GRACE = Duration.ofHours(24);

    private final Guard guard;
    private final KeyAdmin keys;
    private final java.time.Clock clock;

    KeyHandlers(Guard guard, KeyAdmin keys, java.time.Clock clock) {
        this.guard = guard;
        this.keys = keys;
        this.clock = clock;
    }

    void list(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        Guard.checkTenant(call.caller(), ctx, null);
        ObjectNode answer = Json.object();
        answer.put("space", call.caller().space());
        ArrayNode list = answer.putArray("keys");
        keys.list(call.caller().space()).forEach(k -> list.add(json(k)));
        Responses.json(ctx, 200, answer);
    }

    /** {@code {kind: server|browser|signing, scopes?: [...], browser_key_id?: (signing)}}. */
    void create(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        JsonNode body = IngestHandlers.requireObject(Json.parse(call.body()));
        Guard.checkTenant(call.caller(), ctx, body);
        String kind = body.path("kind").isTextual() ? body.path("kind").asText() : "server";
        Set<String> scopes = new LinkedHashSet<>();
        JsonNode s = body.get("scopes");
        if (s != null && !s.isNull()) {
            scopes.addAll(strings(s, "scopes"));
        }
        Optional<String> browserKey = body.path("browser_key_id").isTextual()
                ? Optional.of(body.path("browser_key_id").asText()) : Optional.empty();
        answer(ctx, 201, keys.create(call.caller().space(), kind, scopes, browserKey));
    }

    void revoke(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        Guard.checkTenant(call.caller(), ctx, bodyOrNull(call.body()));
        answer(ctx, 200, keys.revoke(call.caller().space(), ctx.pathParam("id")));
    }

    /** {@code {old_key_valid_until?: RFC 3339 | old_key_valid_for_seconds?: n}}; default: the old key works 24 h more. */
    void rotate(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        JsonNode body = bodyOrNull(call.body());
        Guard.checkTenant(call.caller(), ctx, body);
        Instant until = clock.instant().plus(DEFAULT_ROTATION_GRACE);
        if (body != null && body.hasNonNull("old_key_valid_until")) {
            try {
                until = OffsetDateTime.parse(body.get("old_key_valid_until").asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiError.badRequest("invalid_request", "old_key_valid_until must be RFC 3339 with an offset");
            }
        } else if (body != null && body.hasNonNull("old_key_valid_for_seconds")) {
            JsonNode n = body.get("old_key_valid_for_seconds");
            if (!n.isIntegralNumber() || n.asLong() < 0) {
                throw ApiError.badRequest("invalid_request", "old_key_valid_for_seconds must be an integer >= 0");
            }
            until = clock.instant().plusSeconds(n.asLong());
        }
        answer(ctx, 201, keys.rotate(call.caller().space(), ctx.pathParam("id"), until));
    }

    /**
     * {@code {allowed_origins?, allowed_events?, max_ttl_seconds?}}: the fields given replace the
     * policy's, the others stay; {@code {"reset": true}} goes back to the environment's default.
     */
    void policy(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        JsonNode body = IngestHandlers.requireObject(Json.parse(call.body()));
        Guard.checkTenant(call.caller(), ctx, body);
        String space = call.caller().space();
        String id = ctx.pathParam("id");
        if (body.path("reset").asBoolean(false)) {
            answer(ctx, 200, keys.setPolicy(space, id, Optional.empty()));
            return;
        }
        KeyAdmin.KeyInfo current = keys.list(space).stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiError.notFound("key_not_found", "no key " + id + " in this Space"));
        if (current.policy().isEmpty()) {
            throw ApiError.badRequest("invalid_request", "key " + id + " is not a browser key");
        }
        KeyAdmin.Policy now = current.policy().get();
        List<String> origins = body.has("allowed_origins") ? strings(body.get("allowed_origins"), "allowed_origins")
                : now.allowedOrigins();
        List<String> events = body.has("allowed_events") ? strings(body.get("allowed_events"), "allowed_events")
                : now.allowedEvents();
        int ttl = now.maxTtlSeconds();
        if (body.has("max_ttl_seconds")) {
            JsonNode t = body.get("max_ttl_seconds");
            if (!t.isIntegralNumber() || !t.canConvertToInt()) {
                throw ApiError.badRequest("invalid_policy", "max_ttl_seconds must be an integer from 1 to 1800");
            }
            ttl = t.asInt();
        }
        answer(ctx, 200, keys.setPolicy(space, id, Optional.of(new KeyAdmin.Policy(origins, events, ttl))));
    }

    private static void answer(Context ctx, int status, KeyAdmin.Result result) {
        if (result instanceof KeyAdmin.Refused refused) {
            throw switch (refused.reason()) {
                case NOT_FOUND -> ApiError.notFound("key_not_found", refused.message());
                case INVALID -> ApiError.badRequest("invalid_request", refused.message());
                case NOT_LIVE -> new ApiError(409, "key_not_live", refused.message(), Json.object(), Map.of());
            };
        }
        KeyAdmin.Done done = (KeyAdmin.Done) result;
        ObjectNode answer = json(done.key());
        done.plaintext().ifPresent(p -> answer.put("key", p));
        done.old().ifPresent(o -> answer.set("old", json(o)));
        if (done.plaintext().isPresent()) {
            ctx.header("cache-control", "no-store");
        }
        Responses.json(ctx, status, answer);
    }

    static ObjectNode json(KeyAdmin.KeyInfo k) {
        ObjectNode n = Json.object();
        n.put("id", k.id());
        n.put("kind", k.kind());
        n.put("prefix", k.prefix());
        ArrayNode scopes = n.putArray("scopes");
        new TreeSet<>(k.scopes()).forEach(scopes::add);
        n.put("status", k.status());
        n.put("created_at", k.createdAt().toString());
        putInstant(n, "last_used_at", k.lastUsedAt());
        putInstant(n, "expires_at", k.expiresAt());
        putInstant(n, "revoked_at", k.revokedAt());
        k.browserKeyId().ifPresent(b -> n.put("browser_key_id", b));
        k.policy().ifPresent(p -> {
            ObjectNode policy = n.putObject("policy");
            ArrayNode origins = policy.putArray("allowed_origins");
            p.allowedOrigins().forEach(origins::add);
            ArrayNode events = policy.putArray("allowed_events");
            p.allowedEvents().forEach(events::add);
            policy.put("max_ttl_seconds", p.maxTtlSeconds());
            policy.put("default", k.defaultPolicy());
        });
        return n;
    }

    private static void putInstant(ObjectNode n, String field, Optional<Instant> value) {
        if (value.isPresent()) {
            n.put(field, value.get().toString());
        } else {
            n.putNull(field);
        }
    }

    private static List<String> strings(JsonNode array, String field) {
        if (!array.isArray()) {
            throw ApiError.badRequest("invalid_request", field + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : array) {
            if (!e.isTextual()) {
                throw ApiError.badRequest("invalid_request", field + " must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static JsonNode bodyOrNull(byte[] body) {
        return body.length == 0 ? null : IngestHandlers.requireObject(Json.parse(body));
    }
}
