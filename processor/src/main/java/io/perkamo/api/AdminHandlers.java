package io.perkamo.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/** POST and GET /v1/admin/config/{module}: JSON (or YAML by content-type) in, a new version out. */
final class AdminHandlers {
    static final String WEBHOOKS = "webhooks";

    private final Guard guard;
    private final ProgramConfig programs;
    private final WebhookHandlers webhooks;

    AdminHandlers(Guard guard, ProgramConfig programs, WebhookHandlers webhooks) {
        this.guard = guard;
        this.programs = programs;
        this.webhooks = webhooks;
    }

    void update(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        String module = module(ctx);
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        JsonNode body = contentType.contains("yaml") ? Json.parseYaml(call.body()) : Json.parse(call.body());
        Guard.checkTenant(call.caller(), ctx, body);
        String space = call.caller().space();
        if (WEBHOOKS.equals(module)) {
            // endpoints are not part of the program: no version, no effective time
            webhooks.configure(ctx, space, withoutEnvelope(body), flag(ctx, body, "allow_removals"));
            return;
        }
        ProgramConfig.PublishOptions options = options(ctx, body);
        ProgramConfig.ConfigResult result = programs.update(space, module, withoutEnvelope(body), options);
        if (result instanceof ProgramConfig.Invalid invalid) {
            throw invalid(invalid.problems());
        }
        if (result instanceof ProgramConfig.RemovalsNotConfirmed refused) {
            ObjectNode details = Json.object();
            details.set("removals", changes(refused.removals()));
            details.set("changes", changes(refused.changes()));
            throw new ApiError(409, "removals_not_confirmed", "this upload removes what the active version has ("
                    + String.join("; ", refused.removals().stream().map(ProgramConfig.ConfigChange::summary).toList())
                    + "); send \"allow_removals\": true to publish it anyway", details, Map.of());
        }
        if (result instanceof ProgramConfig.BackdatingNotConfirmed refused) {
            ObjectNode details = Json.object();
            details.put("effective_at", refused.requested().toString());
            details.put("active_effective_at", refused.activeEffectiveAt().toString());
            throw new ApiError(409, "backdating_not_confirmed", "effective_at " + refused.requested()
                    + " is before the active version's " + refused.activeEffectiveAt() + ", which changes how replays"
                    + " read history; send \"allow_backdating\": true to publish it anyway", details, Map.of());
        }
        ProgramConfig.Published published = (ProgramConfig.Published) result;
        ObjectNode answer = Json.object();
        answer.put("space", space);
        answer.put("module", module);
        answer.put("version", published.version());
        answer.put("status", "published");
        answer.put("effective_at", published.effectiveAt().toString());
        answer.set("changes", changes(published.changes()));
        Responses.json(ctx, 200, answer);
    }

    /** Keys of an upload that are about the request, not program fields. */
    static final List<String> ENVELOPE = List.of("tenant", "space", "effective_at", "allow_removals",
            "allow_backdating");

    /** effective_at, allow_removals and allow_backdating, from the body's top level or the query. */
    private static ProgramConfig.PublishOptions options(Context ctx, JsonNode body) {
        Optional<Instant> effectiveAt = text(ctx, body, "effective_at").map(AdminHandlers::instant);
        return new ProgramConfig.PublishOptions(effectiveAt, flag(ctx, body, "allow_removals"),
                flag(ctx, body, "allow_backdating"));
    }

    private static JsonNode withoutEnvelope(JsonNode body) {
        if (!body.isObject()) {
            return body;
        }
        ObjectNode copy = ((ObjectNode) body).deepCopy();
        copy.remove(ENVELOPE);
        return copy;
    }

    private static Optional<String> text(Context ctx, JsonNode body, String name) {
        JsonNode v = body.isObject() ? body.get(name) : null;
        if (v != null && !v.isNull()) {
            if (!v.isTextual()) {
                throw ApiError.badRequest("invalid_" + name, name + " must be a string (RFC 3339, e.g."
                        + " 2026-06-01T00:00:00Z)");
            }
            return Optional.of(v.asText());
        }
        return Optional.ofNullable(ctx.queryParam(name));
    }

    private static boolean flag(Context ctx, JsonNode body, String name) {
        JsonNode v = body.isObject() ? body.get(name) : null;
        if (v != null && !v.isNull()) {
            if (!v.isBoolean()) {
                throw ApiError.badRequest("invalid_option", name + " must be true or false");
            }
            return v.asBoolean();
        }
        String q = ctx.queryParam(name);
        if (q == null) {
            return false;
        }
        if (!q.equals("true") && !q.equals("false")) {
            throw ApiError.badRequest("invalid_option", name + " must be true or false, not " + q);
        }
        return q.equals("true");
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("invalid_effective_at", "effective_at must be an RFC 3339 time with an offset,"
                    + " like 2026-06-01T00:00:00Z, not '" + text + "'");
        }
    }

    private static ArrayNode changes(List<ProgramConfig.ConfigChange> changes) {
        ArrayNode list = Json.array();
        for (ProgramConfig.ConfigChange c : changes) {
            list.addObject().put("kind", c.kind()).put("key", c.key()).put("action", c.action())
                    .put("summary", c.summary());
        }
        return list;
    }

    void get(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        Guard.checkTenant(call.caller(), ctx, null);
        String module = module(ctx);
        if (WEBHOOKS.equals(module)) {
            webhooks.list(ctx, call.caller().space());
            return;
        }
        JsonNode config = programs.get(call.caller().space(), module)
                .orElseThrow(() -> ApiError.notFound("config_not_found", "no " + module + " configured in this Space"));
        Responses.json(ctx, 200, config);
    }

    private static String module(Context ctx) {
        String module = ctx.pathParam("module");
        if (!ProgramConfig.MODULES.contains(module)) {
            ApiError e = new ApiError(404, "unknown_module", "unknown config module " + module,
                    Json.object().set("modules", Json.MAPPER.valueToTree(ProgramConfig.MODULES.stream().sorted().toList())),
                    Map.of());
            throw e;
        }
        return module;
    }

    private static ApiError invalid(List<ProgramConfig.ConfigProblem> problems) {
        ArrayNode list = Json.array();
        for (ProgramConfig.ConfigProblem p : problems) {
            list.addObject().put("path", p.path()).put("code", p.code()).put("message", p.message());
        }
        String code = problems.isEmpty() ? "invalid_config" : problems.get(0).code();
        String message = problems.isEmpty() ? "the configuration is invalid" : problems.get(0).message();
        if (!problems.isEmpty() && problems.get(0).path().isEmpty() && "invalid_type".equals(code)) {
            code = "invalid_program"; // the whole upload is the wrong shape: say so plainly
        }
        return new ApiError(400, code, message, Json.object().set("errors", list), Map.of());
    }
}
