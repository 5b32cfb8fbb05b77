package io.perkamo.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.OutcomeError;
import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Problem;

/**
 * POST /v1/identify, /v1/events, /v1/events:batch and /v1/rewards/redeem. A redemption goes the
 * same way as an event (shared validation, the gateway, the fold); its rejection is an outcome,
 * answered 200 with {@code applied:false}, {@code status:"rejected"} and a {@code reason}.
 */
final class IngestHandlers {
    static final int MAX_BATCH = 100;
    static final String PROCESSING_TIMEOUT = "processing_timeout";
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
        decide(ctx, call.caller().space(), kind, body, valid -> { });
    }

    /**
     * The one ingest path after authentication, for server and client routes: validation (400),
     * the route's own admission of the valid input ({@code admit} throws an {@link ApiError} to
     * refuse it), the processor's decision, the answer.
     */
    void decide(Context ctx, String space, InputValidator.Kind kind, JsonNode body,
                Consumer<InputValidator.Valid> admit) {
        InputValidator.Result parsed = validator.parse(kind, body, clock.instant());
        if (parsed instanceof InputValidator.Invalid invalid) {
            throw invalid(invalid.problems());
        }
        InputValidator.Valid valid = (InputValidator.Valid) parsed;
        admit.accept(valid);
        String requestId = Responses.requestId(ctx);
        CompletableFuture<Outcome> decision = submit(space, valid, requestId);
        ctx.future(() -> decision.handle((outcome, failure) -> {
            try {
                if (failure != null) {
                    Responses.error(ctx, failureError(failure, requestId));
                } else {
                    answer(ctx, outcome);
                }
            } catch (RuntimeException e) {
                LOG.warn("writing ingest answer failed, request {}", requestId, e);
                Responses.error(ctx, new ApiError(500, "internal_error", "internal error"));
            }
            return null;
        }));
    }

    /**
     * A decision is answered 200 as it is, a rejected redemption included; an idempotency
     * conflict is a rejected outcome too, but the SDK expects it as a 409 error, not a result.
     */
    private static void answer(Context ctx, Outcome outcome) {
        IngestResult.Decided result = new IngestResult.Decided(outcome);
        Optional<OutcomeError> error = Optional.ofNullable(outcome.getError());
        switch (result.status()) {
            case REJECTED -> {
                if (error.filter(e -> ErrorCodes.IDEMPOTENCY_CONFLICT.equals(e.getCode())).isPresent()) {
                    ObjectNode details = Json.object();
                    details.put("transaction_id", outcome.getTransactionId());
                    Responses.error(ctx, new ApiError(409, ErrorCodes.IDEMPOTENCY_CONFLICT,
                            message(error.get(), "this transaction_id was already used with a different payload"),
                            details, Map.of()));
                } else {
                    Responses.json(ctx, 200, result.json());
                }
            }
            case APPLIED, REDEEMED, DUPLICATE -> {
                if (error.isEmpty()) {
                    Responses.json(ctx, 200, result.json());
                } else {
                    ObjectNode details = Json.object();
                    details.set("result", Json.parse(result.json()));
                    Responses.error(ctx, new ApiError(400, error.get().getCode(),
                            message(error.get(), "the input was refused"), details, Map.of()));
                }
            }
        }
    }

    private static String message(OutcomeError error, String fallback) {
        return error.getMessage() == null || error.getMessage().isBlank() ? fallback : error.getMessage();
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
            throw new ApiError(400, "batch_too_large",
                    "a batch holds at most " + MAX_BATCH + " events; this one has " + events.size(),
                    Json.object().put("max", MAX_BATCH).put("size", events.size()), Map.of());
        }
        String requestId = Responses.requestId(ctx);
        String space = call.caller().space();
        List<CompletableFuture<IngestResult>> items = new ArrayList<>(events.size());
        int index = 0;
        for (JsonNode item : events) {
            // each item waits for its own outcome: the gateway correlates by this tag
            items.add(batchItem(space, item, itemTag(requestId, index++)));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(items.toArray(CompletableFuture[]::new));
        ctx.future(() -> all.handle((ignored, failure) -> {
            ByteArrayOutputStream answer = new ByteArrayOutputStream(256 * items.size() + 16);
            answer.writeBytes(RESULTS_START);
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    answer.write(',');
                }
                answer.writeBytes(items.get(i).join().json()); // items never complete exceptionally
            }
            answer.writeBytes(RESULTS_END);
            Responses.json(ctx, 200, answer.toByteArray());
            return null;
        }));
    }

    private static final byte[] RESULTS_START = "{\"results\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESULTS_END = "]}".getBytes(StandardCharsets.UTF_8);

    /** The correlation tag of one batch item: the request id, a dot, the item's index. */
    static String itemTag(String requestId, int index) {
        return requestId + "." + index;
    }

    private CompletableFuture<IngestResult> batchItem(String space, JsonNode item, String requestId) {
        if (!item.isObject()) {
            return CompletableFuture.completedFuture(new IngestResult.Refused(transactionId(item),
                    IngestResult.Refused.Refusal.REJECTED, ErrorCodes.INVALID_JSON,
                    "each batch item must be a JSON object", List.of()));
        }
        InputValidator.Result parsed = validator.parse(InputValidator.Kind.EVENT, item, clock.instant());
        if (parsed instanceof InputValidator.Invalid invalid) {
            Problem first = invalid.problems().get(0);
            return CompletableFuture.completedFuture(new IngestResult.Refused(transactionId(item),
                    IngestResult.Refused.Refusal.REJECTED, first.code(), first.message(), invalid.problems()));
        }
        InputValidator.Valid valid = (InputValidator.Valid) parsed;
        Optional<String> validTx = valid.input().transactionId();
        return submit(space, valid, requestId).handle((outcome, failure) -> {
            if (failure == null) {
                return new IngestResult.Decided(outcome);
            }
            ApiError e = failureError(failure, requestId);
            IngestResult.Refused.Refusal status = PROCESSING_TIMEOUT.equals(e.code())
                    ? IngestResult.Refused.Refusal.PENDING : IngestResult.Refused.Refusal.REJECTED;
            return new IngestResult.Refused(validTx, status, e.code(), e.getMessage(), List.of());
        });
    }

    /** The transaction_id a refused batch item named, if it named one as a string. */
    private static Optional<String> transactionId(JsonNode item) {
        JsonNode t = item == null ? null : item.get("transaction_id");
        return t != null && t.isTextual() ? Optional.of(t.asText()) : Optional.empty();
    }

    private CompletableFuture<Outcome> submit(String space, InputValidator.Valid valid, String requestId) {
        CompletableFuture<Outcome> submitted;
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
            return ApiError.unavailable(PROCESSING_TIMEOUT,
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
