package io.perkamo.api;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/**
 * {@code GET /v1/admin/rate-limits} and {@code POST /v1/admin/rate-limits} (scope
 * {@code admin:config}): the Space's limits per minute, and which are its own.
 */
final class RateLimitHandlers {
    private final Guard guard;
    private final RateLimitConfig config;

    RateLimitHandlers(Guard guard, RateLimitConfig config) {
        this.guard = guard;
        this.config = config;
    }

    void get(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        Guard.checkTenant(call.caller(), ctx, null);
        Responses.json(ctx, 200, render(call.caller().space()));
    }

    /**
     * {@code {"server_key": 1200, "browser_user": null}}: a number (requests per minute) sets
     * the limit, null goes back to the default, an absent field stays as it is.
     */
    void update(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        JsonNode body = IngestHandlers.requireObject(Json.parse(call.body()));
        Guard.checkTenant(call.caller(), ctx, body);
        Map<RateLimitConfig.Subject, OptionalInt> changes = new EnumMap<>(RateLimitConfig.Subject.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("tenant") || f.getKey().equals("space")) {
                continue;
            }
            RateLimitConfig.Subject subject = RateLimitConfig.Subject.parse(f.getKey()).orElseThrow(() ->
                    ApiError.badRequest("invalid_request", "unknown field " + f.getKey()
                            + ": the limits are server_key, browser_key and browser_user"));
            JsonNode v = f.getValue();
            if (v.isNull()) {
                changes.put(subject, OptionalInt.empty());
            } else if (v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 1
                    && v.asInt() <= RateLimitConfig.MAX_PER_MINUTE) {
                changes.put(subject, OptionalInt.of(v.asInt()));
            } else {
                throw ApiError.badRequest("invalid_rate_limit", f.getKey() + " must be an integer from 1 to "
                        + RateLimitConfig.MAX_PER_MINUTE + " (requests per minute) or null (the default)");
            }
        }
        Optional<String> refused = config.update(call.caller().space(), changes);
        if (refused.isPresent()) {
            throw new ApiError(501, "not_implemented", refused.get());
        }
        Responses.json(ctx, 200, render(call.caller().space()));
    }

    private ObjectNode render(String space) {
        RateLimitConfig.Limits limits = config.limits(space);
        Set<RateLimitConfig.Subject> own = config.own(space);
        ObjectNode answer = Json.object();
        answer.put("space", space);
        ObjectNode list = answer.putObject("limits");
        for (RateLimitConfig.Subject s : RateLimitConfig.Subject.values()) {
            list.putObject(s.wire()).put("per_minute", limits.perMinute(s)).put("default", !own.contains(s));
        }
        answer.put("scope", "per instance");
        return answer;
    }
}
