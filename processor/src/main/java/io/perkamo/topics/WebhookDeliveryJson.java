package io.perkamo.topics;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.Json;

/**
 * The JSON of a delivery log record, snake_case like the API (readable with kcat). Absent
 * optional fields are left out; readers tolerate unknown fields.
 */
public final class WebhookDeliveryJson {
    private WebhookDeliveryJson() {
    }

    public static Serde<WebhookDelivery> serde() {
        return Serdes.serdeFrom((topic, d) -> d == null ? null : bytes(d),
                (topic, bytes) -> bytes == null ? null : read(bytes));
    }

    public static ObjectNode toJson(WebhookDelivery d) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("delivery_id", d.deliveryId());
        n.put("event_id", d.eventId());
        n.put("space", d.space());
        n.put("endpoint_id", d.endpointId());
        n.put("type", d.type());
        n.put("status", d.status().wire());
        n.put("attempt", d.attempt());
        n.put("revision", d.revision());
        n.put("outcome_partition", d.outcomePartition());
        n.put("outcome_offset", d.outcomeOffset());
        n.put("url", d.url());
        n.put("created_at", d.createdAt().toString());
        n.put("updated_at", d.updatedAt().toString());
        d.nextAttemptAt().ifPresent(t -> n.put("next_attempt_at", t.toString()));
        d.lastStatusCode().ifPresent(c -> n.put("last_status_code", c));
        d.lastDurationMs().ifPresent(ms -> n.put("last_duration_ms", ms));
        d.lastError().ifPresent(e -> n.put("last_error", e));
        d.body().ifPresent(b -> n.put("body", b));
        return n;
    }

    public static byte[] bytes(WebhookDelivery d) {
        try {
            return Json.MAPPER.writeValueAsBytes(toJson(d));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException for a record that is not a delivery */
    public static WebhookDelivery read(byte[] bytes) {
        JsonNode n = Json.read(bytes).filter(JsonNode::isObject)
                .orElseThrow(() -> new IllegalArgumentException("not a JSON object"));
        return new WebhookDelivery(text(n, "delivery_id"), text(n, "event_id"), text(n, "space"),
                text(n, "endpoint_id"), text(n, "type"),
                WebhookDelivery.Status.parse(text(n, "status"))
                        .orElseThrow(() -> new IllegalArgumentException("bad status")),
                n.path("attempt").asInt(0), n.path("revision").asInt(0), n.path("outcome_partition").asInt(0),
                n.path("outcome_offset").asLong(0), text(n, "url"), Instant.parse(text(n, "created_at")),
                Instant.parse(text(n, "updated_at")), optionalText(n, "next_attempt_at").map(Instant::parse),
                n.path("last_status_code").isInt() ? Optional.of(n.get("last_status_code").asInt()) : Optional.empty(),
                n.path("last_duration_ms").isIntegralNumber() ? Optional.of(n.get("last_duration_ms").asLong())
                        : Optional.empty(),
                optionalText(n, "last_error"), optionalText(n, "body"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing text field " + field);
        }
        return v.asText();
    }

    private static Optional<String> optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }
}
