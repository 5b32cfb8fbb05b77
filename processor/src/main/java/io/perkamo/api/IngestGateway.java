package io.perkamo.api;

import java.util.concurrent.CompletableFuture;

import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.input.Input;

/**
 * Hands a valid input to the processor and waits for its decision.
 *
 * <p>{@code requestId} tags the input and is how its outcome is matched to this call, so it
 * must be unique among the calls in flight: a single ingest passes the request id, each item
 * of a batch the request id plus {@code .} and the item's index. A tag already in flight is
 * refused (the future fails) rather than answered with another input's outcome.
 *
 * <p>The future completes with the outcome the processor decided, as the contract's record
 * read from the Space's outcomes topic (an idempotency conflict is an outcome too: status
 * rejected, with {@code error}). It may complete exceptionally with {@link java.util.concurrent.TimeoutException}
 * when no decision arrives; the server also stops waiting after its own ingest timeout. A retry
 * with the same transaction_id is always safe.
 */
@FunctionalInterface
public interface IngestGateway {
    CompletableFuture<Outcome> submit(String space, Input input, String requestId);
}
