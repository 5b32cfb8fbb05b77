package io.perkamo.topics;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of a Space's webhook delivery log ({@link Topics#WEBHOOK_DELIVERIES}): the state
 * of one delivery (one outcome to one endpoint) after a change. A delivery is created
 * {@code pending}; each attempt adds a record ({@code retrying} with the next attempt's time,
 * then {@code succeeded} or {@code failed}); a resend adds a {@code pending} record again. So
 * the log has one record per attempt plus one per creation or resend, all on the partition of
 * the outcome, keyed by the delivery id, in order.
 *
 * @param deliveryId       stable for the (endpoint, outcome) pair, across retries, crashes and resends
 * @param eventId          the payload's {@code id}: stable for the outcome
 * @param type             the event key, or {@code reward.redeemed} / {@code reward.rejected}
 * @param attempt          attempts made so far (0 for a new delivery)
 * @param revision         0 for the creation, +1 for every later record of the delivery
 * @param outcomePartition the partition of the outcome on the Space's outcomes topic (and of this record)
 * @param outcomeOffset    the outcome's offset there
 * @param url              the endpoint's URL when the record was written
 * @param body             the payload, exactly as sent; on pending and retrying records (the
 *                         ones a restarted sender resumes from), absent on final ones
 */
public record WebhookDelivery(String deliveryId, String eventId, String space, String endpointId, String type,
                              Status status, int attempt, int revision, int outcomePartition, long outcomeOffset,
                              String url, Instant createdAt, Instant updatedAt, Optional<Instant> nextAttemptAt,
                              Optional<Integer> lastStatusCode, Optional<Long> lastDurationMs,
                              Optional<String> lastError, Optional<String> body) {

    public enum Status {
        /** Waiting for its first attempt, or resent. */
        PENDING,
        /** An attempt failed; the next one is at {@code next_attempt_at}. */
        RETRYING,
        SUCCEEDED,
        /** Every attempt of the schedule failed, or the endpoint was disabled or removed. */
        FAILED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean terminal() {
            return this == SUCCEEDED || this == FAILED;
        }

        public static Optional<Status> parse(String text) {
            for (Status s : values()) {
                if (s.wire().equals(text)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    public WebhookDelivery {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lastStatusCode, "lastStatusCode");
        Objects.requireNonNull(lastDurationMs, "lastDurationMs");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(body, "body");
    }

    /** The next record of this delivery: revision + 1, written at {@code at}. */
    public WebhookDelivery next(Status newStatus, int attempts, Instant at, Optional<Instant> nextAttempt,
                                Optional<Integer> statusCode, Optional<Long> durationMs, Optional<String> error,
                                Optional<String> keptBody) {
        return new WebhookDelivery(deliveryId, eventId, space, endpointId, type, newStatus, attempts, revision + 1,
                outcomePartition, outcomeOffset, url, createdAt, at, nextAttempt, statusCode, durationMs, error,
                keptBody);
    }

    public WebhookDelivery withUrl(String newUrl) {
        return new WebhookDelivery(deliveryId, eventId, space, endpointId, type, status, attempt, revision,
                outcomePartition, outcomeOffset, newUrl, createdAt, updatedAt, nextAttemptAt, lastStatusCode,
                lastDurationMs, lastError, body);
    }

    @Override
    public String toString() {
        return "WebhookDelivery[" + deliveryId + " " + status.wire() + " attempt " + attempt + " rev " + revision
                + " endpoint " + endpointId + "]";
    }
}
