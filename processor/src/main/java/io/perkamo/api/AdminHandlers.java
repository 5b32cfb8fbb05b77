package io.perkamo.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/** POST and GET /v1/admin/config/{module}: JSON (or YAML by content-type) in, a new version out. */
final class AdminHandlers {
    private final Guard guard;
    private final ProgramConfig programs;

    AdminHandlers(Guard guard, ProgramConfig programs) {
        this.guard = guard;
        this.programs = programs;
    }

    void update(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        String module = module(ctx);
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        JsonNode body = contentType.contains("yaml") ? Json.parseYaml(call.body()) : Json.parse(call.body());
        Guard.checkTenant(call.caller(), ctx, body);
        String space = call.caller().space();
        ProgramConfig.ConfigResult result = programs.update(space, module, body);
        if (result instanceof ProgramConfig.Invalid invalid) {
            throw invalid(invalid.problems());
        }
        ObjectNode answer = Json.object();
        answer.put("space", space);
        answer.put("module", module);
        answer.put("version", ((ProgramConfig.Published) result).version());
        answer.put("status", "published");
        Responses.json(ctx, 200, answer);
    }

    void get(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        Guard.checkTenant(call.caller(), ctx, null);
        String module = module(ctx);
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
        return new ApiError(400, code, message, Json.object().set("errors", list), Map.of());
    }
}
