package io.perkamo.schemas.input;

import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated input, whichever way it arrived (HTTP API, JSON or Avro record on a Space's
 * events topic). occurredAt is always resolved (the record or receipt time when absent).
 * The JSON objects (context, traits) are owned by the input: never mutate them.
 */
public sealed interface Input permits Input.Event, Input.Identify, Input.Redemption {

    String userId();

    /** Idempotency key; required for events and redemptions, optional for identify. */
    Optional<String> transactionId();

    Instant occurredAt();

    /** Stable lowercase name: event, identify, redemption. */
    String kind();

    record Event(String userId, String txId, String event, ObjectNode context, Instant occurredAt)
            implements Input {
        @Override
        public Optional<String> transactionId() {
            return Optional.of(txId);
        }

        @Override
        public String kind() {
            return "event";
        }
    }

    record Identify(String userId, Optional<String> transactionId, ObjectNode traits, Instant occurredAt)
            implements Input {
        @Override
        public String kind() {
            return "identify";
        }
    }

    record Redemption(String userId, String txId, String reward, ObjectNode context, Instant occurredAt)
            implements Input {
        @Override
        public Optional<String> transactionId() {
            return Optional.of(txId);
        }

        @Override
        public String kind() {
            return "redemption";
        }
    }
}
