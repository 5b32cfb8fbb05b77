package io.perkamo.api;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The IngestResult shape the SDK parser requires: booleans {@code applied}, {@code duplicate},
 * {@code leveled_up}; lists {@code delta}, {@code unlocked}; object {@code wallet_state};
 * {@code level} object or null; plus {@code transaction_id}, {@code status}, {@code effects}.
 */
final class IngestResults {
    static final String IDEMPOTENCY_CONFLICT = "idempotency_conflict";
    static final String PROCESSING_TIMEOUT = "processing_timeout";

    private IngestResults() {
    }

    /** A result for an input that never reached a decision, with the reason in {@code error}. */
    static ObjectNode refused(Optional<String> transactionId, String status, String code, String message) {
        ObjectNode r = Json.object();
        r.put("applied", false);
        r.put("duplicate", false);
        r.set("delta", Json.array());
        r.put("leveled_up", false);
        r.set("unlocked", Json.array());
        r.set("wallet_state", Json.object());
        r.putNull("level");
        transactionId.ifPresentOrElse(t -> r.put("transaction_id", t), () -> r.putNull("transaction_id"));
        r.put("status", status);
        r.set("effects", Json.array());
        r.set("error", Json.object().put("code", code).put("message", message));
        return r;
    }

    /** Fills keys the processor left out, so the SDK parser never fails on a missing one. */
    static ObjectNode complete(ObjectNode result, Optional<String> transactionId) {
        ObjectNode r = result.deepCopy();
        if (!r.has("applied")) {
            r.put("applied", false);
        }
        if (!r.has("duplicate")) {
            r.put("duplicate", false);
        }
        if (!r.has("delta")) {
            r.set("delta", Json.array());
        }
        if (!r.has("leveled_up")) {
            r.put("leveled_up", false);
        }
        if (!r.has("unlocked")) {
            r.set("unlocked", Json.array());
        }
        if (!r.has("wallet_state")) {
            r.set("wallet_state", Json.object());
        }
        if (!r.has("level")) {
            r.putNull("level");
        }
        if (!r.has("transaction_id")) {
            transactionId.ifPresentOrElse(t -> r.put("transaction_id", t), () -> r.putNull("transaction_id"));
        }
        if (!r.has("status")) {
            r.put("status", r.path("applied").asBoolean(false) ? "applied"
                    : r.path("duplicate").asBoolean(false) ? "duplicate" : "rejected");
        }
        if (!r.has("effects")) {
            r.set("effects", Json.array());
        }
        return r;
    }

    static Optional<String> errorCode(JsonNode result) {
        JsonNode code = result.path("error").path("code");
        return code.isTextual() ? Optional.of(code.asText()) : Optional.empty();
    }

    static String errorMessage(JsonNode result, String fallback) {
        JsonNode m = result.path("error").path("message");
        return m.isTextual() && !m.asText().isBlank() ? m.asText() : fallback;
    }

    static Optional<String> transactionId(JsonNode body) {
        JsonNode t = body == null ? null : body.get("transaction_id");
        return t != null && t.isTextual() ? Optional.of(t.asText()) : Optional.empty();
    }
}
