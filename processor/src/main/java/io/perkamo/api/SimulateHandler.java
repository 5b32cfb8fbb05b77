package io.perkamo.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/**
 * POST /v1/admin/simulate: {@code {program, effective_at?, max_inputs?}} (JSON, or YAML by
 * content type; a body that is itself a program is taken as the draft) -> the what-if summary.
 * Past the bounds: 413 {@code simulation_too_large} (more records than max_inputs or the
 * server allows), 422 {@code simulation_timeout}; an invalid draft is 400 with every problem.
 */
final class SimulateHandler {
    private static final Set<String> REQUEST_FIELDS = Set.of("effective_at", "max_inputs", "tenant", "space");

    private final Guard guard;
    private final Simulator simulator;

    SimulateHandler(Guard guard, Simulator simulator) {
        this.guard = guard;
        this.simulator = simulator;
    }

    void simulate(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.ADMIN_CONFIG);
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        JsonNode body = contentType.contains("yaml") ? Json.parseYaml(call.body()) : Json.parse(call.body());
        Guard.checkTenant(call.caller(), ctx, body);
        if (!body.isObject()) {
            throw ApiError.badRequest("invalid_request", "the body must be an object: {program, effective_at?, max_inputs?}");
        }
        JsonNode program = draft((ObjectNode) body);
        Optional<Instant> effectiveAt = effectiveAt(body.get("effective_at"));
        OptionalLong maxInputs = maxInputs(body.get("max_inputs"));
        Simulator.Result result = simulator.simulate(call.caller().space(), program, effectiveAt, maxInputs);
        if (result instanceof Simulator.Summary summary) {
            Responses.json(ctx, 200, summary.summary());
        } else if (result instanceof Simulator.InvalidProgram invalid) {
            throw invalid(invalid);
        } else if (result instanceof Simulator.TooLarge tooLarge) {
            throw new ApiError(413, "simulation_too_large", "the Space's events topic holds more than "
                    + tooLarge.limit() + " records, the most a simulation reads here; run `perkamo replay --program`"
                    + " for a larger one", Json.object().put("max_inputs", tooLarge.limit()), Map.of());
        } else if (result instanceof Simulator.TooSlow tooSlow) {
            throw new ApiError(422, "simulation_timeout", "the simulation did not finish within "
                    + tooSlow.limitMillis() / 1000 + " s; ask for fewer inputs (max_inputs) or run"
                    + " `perkamo replay --program`", Json.object().put("max_seconds", tooSlow.limitMillis() / 1000),
                    Map.of());
        } else {
            throw new ApiError(429, "simulation_busy", "another simulation is running on this instance; retry"
                    + " shortly", Json.object(), Map.of("retry-after", "5"));
        }
    }

    /** {@code program}, or the body itself when it is a program (wallets, rules... at the top). */
    private static JsonNode draft(ObjectNode body) {
        if (body.has("program")) {
            return body.get("program");
        }
        ObjectNode program = body.deepCopy();
        REQUEST_FIELDS.forEach(program::remove);
        if (program.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "send the draft program as \"program\"");
        }
        return program;
    }

    private static Optional<Instant> effectiveAt(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("invalid_effective_at", "effective_at must be an ISO-8601 time with an offset,"
                    + " like 2026-06-01T00:00:00Z");
        }
    }

    private static OptionalLong maxInputs(JsonNode value) {
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 1) {
            throw ApiError.badRequest("invalid_max_inputs", "max_inputs must be a positive integer");
        }
        return OptionalLong.of(value.asLong());
    }

    private static ApiError invalid(Simulator.InvalidProgram invalid) {
        ArrayNode list = Json.array();
        for (ProgramConfig.ConfigProblem p : invalid.problems()) {
            list.addObject().put("path", p.path()).put("code", p.code()).put("message", p.message());
        }
        String message = invalid.problems().isEmpty() ? "the draft program is invalid"
                : invalid.problems().get(0).message();
        return new ApiError(400, "invalid_program", message, Json.object().set("errors", list), Map.of());
    }
}
