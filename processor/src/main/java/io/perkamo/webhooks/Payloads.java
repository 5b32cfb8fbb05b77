package io.perkamo.webhooks;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.Space;
import io.perkamo.schemas.Json;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.input.OutcomeJson;

/**
 * What is delivered (SPEC section 5): {@code {id, type, created_at, data: {space: {slug, name,
 * environment}, user_id, transaction_id, event, status, occurred_at, context, delta, effects,
 * wallet_state}}}, plus, for a redemption, {@code reward} and the rejection's {@code reason},
 * and what the input unlocked and the level after it. Which outcomes are delivered, and as which
 * type, is decided here too.
 */
final class Payloads {
    static final String REDEEMED = "reward.redeemed";
    static final String REJECTED = "reward.rejected";

    private Payloads() {
    }

    /**
     * The webhook type of an outcome, empty when it is not delivered: only new decisions (no
     * duplicates), of events that were applied and redemptions that were redeemed or rejected
     * (not idempotency conflicts, which are refusals); identifies are not delivered.
     */
    static Optional<String> type(Outcome outcome) {
        if (outcome.getDuplicate() || outcome.getError() != null) {
            return Optional.empty();
        }
        String status = outcome.getStatus();
        if ("event".equals(outcome.getKind()) && "applied".equals(status) && outcome.getEvent() != null) {
            return Optional.of(outcome.getEvent());
        }
        if ("redemption".equals(outcome.getKind())) {
            if ("redeemed".equals(status)) {
                return Optional.of(REDEEMED);
            }
            if ("rejected".equals(status)) {
                return Optional.of(REJECTED);
            }
        }
        return Optional.empty();
    }

    /**
     * @param createdAt when the outcome was decided (its record's time)
     * @param context   the input's context, empty when the input is no longer readable
     */
    static String body(String eventId, String type, Instant createdAt, Space space, Outcome outcome,
                       Optional<ObjectNode> context) {
        ObjectNode result = OutcomeJson.toJson(outcome);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", eventId);
        root.put("type", type);
        root.put("created_at", createdAt.toString());
        ObjectNode data = root.putObject("data");
        data.putObject("space").put("slug", space.slug()).put("name", space.name())
                .put("environment", space.environment().id());
        data.put("user_id", outcome.getUserId());
        data.set("transaction_id", field(result, "transaction_id"));
        data.put("event", outcome.getEvent());
        data.set("status", field(result, "status"));
        data.set("occurred_at", field(result, "occurred_at"));
        data.set("context", context.<JsonNode>map(c -> c).orElseGet(Json.MAPPER::createObjectNode));
        data.set("delta", field(result, "delta"));
        data.set("effects", field(result, "effects"));
        data.set("wallet_state", field(result, "wallet_state"));
        if ("redemption".equals(outcome.getKind())) {
            data.put("reward", outcome.getReward());
            if (outcome.getReason() != null) {
                data.put("reason", outcome.getReason());
            }
        }
        data.set("unlocked", field(result, "unlocked"));
        data.set("level", field(result, "level"));
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode field(ObjectNode n, String name) {
        JsonNode v = n.get(name);
        return v == null ? NullNode.getInstance() : v;
    }
}
