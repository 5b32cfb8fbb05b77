package io.perkamo.api;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;
import io.perkamo.schemas.input.Problem;

/**
 * POST /v1/identify, /v1/events, /v1/events:batch and /v1/rewards/redeem. A redemption goes the
 * same way as an event (shared validation, the gateway, the fold); its rejection is an outcome,
 * answered 200 with {@code applied:false}, {@code status:"rejected"} and a {@code reason}.
 */
final class IngestHandlers {
    static final int MAX_BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(IngestHandlers.class);

    private final Guard guard;
    private final InputValidator validator;
    private final IngestGateway gateway;
    private final Duration timeout;
    private final Clock clock;

    IngestHandlers(Guard guard, InputValidator validator, IngestGateway gateway, Duration timeout, Clock clock) {
        this.guard = guard;
        this.validator = validator;
        this.gateway = gateway;
        this.timeout = timeout;
        this.clock = clock;
    }

    void identify(Context ctx) {
        single(ctx, InputValidator.Kind.IDENTIFY, ApiCaller.Scopes.EVENTS_WRITE);
    }

    void event(Context ctx) {
        single(ctx, InputValidator.Kind.EVENT, ApiCaller.Scopes.EVENTS_WRITE);
    }

    void redeem(Context ctx) {
        single(ctx, InputValidator.Kind.REDEMPTION, ApiCaller.Scopes.REWARDS_REDEEM);
    }

    private void single(Context ctx, InputValidator.Kind kind, String scope) {
        Guard.Call call = guard.authenticate(ctx, scope);
        JsonNode body = requireObject(Json.parse(call.body()));
        Guard.checkTenant(call.caller(), ctx, body);
        InputValidator.Result parsed = validator.parse(kind, body, clock.instant());
        if (parsed instanceof InputValidator.Invalid invalid) {
            throw invalid(invalid.problems());
        }
        InputValidator.Valid valid = (InputValidator.Valid) parsed;
        Optional<String> txId = valid.input().transactionId();
        String requestId = Responses.requestId(ctx);
        CompletableFuture<ObjectNode> decision = submit(call.caller().space(), valid, requestId);
        ctx.future(() -> decision.handle((result, failure) -> {
            try {
                if (failure != null) {
                    Responses.error(ctx, failureError(failure, requestId));
                } else {
                    answer(ctx, IngestResults.complete(result, txId));
                }
            } catch (RuntimeException e) {
                LOG.warn("writing ingest answer failed, request {}", requestId, e);
                Responses.error(ctx, new ApiError(500, "internal_error", "internal error"));
            }
            return null;
        }));
    }

    private static void answer(Context ctx, ObjectNode result) {
        Optional<String> error = IngestResults.errorCode(result);
        // a conflict is also a rejected outcome, but the SDK expects it as 409, not as a result
        if (error.filter(IngestResults.IDEMPOTENCY_CONFLICT::equals).isPresent()) {
            ObjectNode details = Json.object();
            details.set("transaction_id", result.path("transaction_id"));
            Responses.error(ctx, new ApiError(409, IngestResults.IDEMPOTENCY_CONFLICT,
                    IngestResults.errorMessage(result,
                            "this transaction_id was already used with a different payload"),
                    details, Map.of()));
            return;
        }
        if (error.isEmpty() || "rejected".equals(result.path("status").asText())) {
            Responses.json(ctx, 200, result);
            return;
        }
        ObjectNode details = Json.object();
        details.set("result", result);
        Responses.error(ctx, new ApiError(400, error.get(),
                IngestResults.errorMessage(result, "the input was refused"), details, Map.of()));
    }

    void batch(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.EVENTS_WRITE);
        JsonNode body = requireObject(Json.parse(call.body()));
        Guard.checkTenant(call.caller(), ctx, body);
        JsonNode events = body.get("events");
        if (events == null || !events.isArray()) {
            throw ApiError.badRequest("invalid_batch", "send {\"events\": [...]} with at most " + MAX_BATCH + " events");
        }
        if (events.size() > MAX_BATCH) {
            ApiError e = new ApiError(400, "batch_too_large",
                    "a batch holds at most " + MAX_BATCH + " events; this one has " + events.size(),
                    Json.object().put("max", MAX_BATCH).put("size", events.size()), Map.of());
            throw e;
        }
        String requestId = Responses.requestId(ctx);
        String space = call.caller().space();
        List<CompletableFuture<ObjectNode>> items = new ArrayList<>(events.size());
        int index = 0;
        for (JsonNode item : events) {
            // each item waits for its own outcome: the gateway correlates by this tag
            items.add(batchItem(space, item, itemTag(requestId, index++)));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(items.toArray(CompletableFuture[]::new));
        ctx.future(() -> all.handle((ignored, failure) -> {
            ArrayNode results = Json.array();
            for (CompletableFuture<ObjectNode> item : items) {
                results.add(item.join()); // items never complete exceptionally
            }
            ObjectNode answer = Json.object();
            answer.set("results", results);
            Responses.json(ctx, 200, answer);
            return null;
        }));
    }

    /** The correlation tag of one batch item: the request id, a dot, the item's index. */
    static String itemTag(String requestId, int index) {
        return requestId + "." + index;
    }

    private CompletableFuture<ObjectNode> batchItem(String space, JsonNode item, String requestId) {
        Optional<String> txId = IngestResults.transactionId(item);
        if (!item.isObject()) {
            return CompletableFuture.completedFuture(IngestResults.refused(txId, "rejected", "invalid_json",
                    "each batch item must be a JSON object"));
        }
        InputValidator.Result parsed = validator.parse(InputValidator.Kind.EVENT, item, clock.instant());
        if (parsed instanceof InputValidator.Invalid invalid) {
            Problem first = invalid.problems().get(0);
            ObjectNode refused = IngestResults.refused(txId, "rejected", first.code(), first.message());
            refused.set("errors", problems(invalid.problems()));
            return CompletableFuture.completedFuture(refused);
        }
        InputValidator.Valid valid = (InputValidator.Valid) parsed;
        Optional<String> validTx = valid.input().transactionId();
        return submit(space, valid, requestId).handle((result, failure) -> {
            if (failure == null) {
                return IngestResults.complete(result, validTx);
            }
            ApiError e = failureError(failure, requestId);
            String status = IngestResults.PROCESSING_TIMEOUT.equals(e.code()) ? "pending" : "rejected";
            return IngestResults.refused(validTx, status, e.code(), e.getMessage());
        });
    }

    private CompletableFuture<ObjectNode> submit(String space, InputValidator.Valid valid, String requestId) {
        CompletableFuture<ObjectNode> submitted;
        try {
            submitted = gateway.submit(space, valid.input(), requestId);
        } catch (RuntimeException e) {
            submitted = CompletableFuture.failedFuture(e);
        }
        // a dependent stage: our timeout must not complete the gateway's own future
        return submitted.thenApply(r -> r).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ApiError failureError(Throwable failure, String requestId) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return ApiError.unavailable(IngestResults.PROCESSING_TIMEOUT,
                    "no decision arrived in time; retrying with the same transaction_id is safe");
        }
        if (cause instanceof ApiError api) {
            return api;
        }
        LOG.warn("ingest failed, request {}: {}", requestId, cause.toString());
        return ApiError.unavailable("ingest_unavailable",
                "the input could not be handed to the processor; retrying with the same transaction_id is safe");
    }

    static ApiError invalid(List<Problem> problems) {
        Problem first = problems.get(0);
        ObjectNode details = Json.object();
        details.set("errors", problems(problems));
        return new ApiError(400, first.code(), first.message(), details, Map.of());
    }

    private static ArrayNode problems(List<Problem> problems) {
        ArrayNode list = Json.array();
        for (Problem p : problems) {
            ObjectNode o = list.addObject();
            o.put("code", p.code());
            o.put("field", p.field());
            o.put("message", p.message());
        }
        return list;
    }

    static JsonNode requireObject(JsonNode body) {
        if (!body.isObject()) {
            throw ApiError.badRequest("invalid_json", "the request body must be a JSON object");
        }
        return body;
    }
}
