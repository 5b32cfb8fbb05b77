package io.perkamo.schemas.input;

import io.perkamo.schemas.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.AvroTrust;
import io.perkamo.schemas.avro.InputKind;

/**
 * Writes a validated {@link Input} to the events topic, as a JSON object or as the Avro
 * record; {@link InputParser} reads both back to an equal Input. JSON fields are the API's
 * (user_id, transaction_id, event, reward, context, traits, occurred_at) plus kind;
 * occurred_at is ISO-8601 UTC with Z. In Avro, context and traits are compact JSON text.
 */
public final class InputJson {

    static {
        AvroTrust.install();
    }

    private InputJson() {
    }

    public static ObjectNode toJson(Input input) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("kind", input.kind());
        json.put("user_id", input.userId());
        input.transactionId().ifPresent(tx -> json.put("transaction_id", tx));
        // Java 17: no pattern switch yet; Input is sealed, so these three are all.
        if (input instanceof Input.Event event) {
            json.put("event", event.event());
            json.set("context", event.context().deepCopy());
        } else if (input instanceof Input.Redemption redemption) {
            json.put("reward", redemption.reward());
            json.set("context", redemption.context().deepCopy());
        } else if (input instanceof Input.Identify identify) {
            json.set("traits", identify.traits().deepCopy());
        }
        json.put("occurred_at", Timestamps.format(input.occurredAt()));
        return json;
    }

    /** {@link #toJson} as compact UTF-8 bytes, numbers exactly as parsed: the record value for a JSON events topic. */
    public static byte[] toJsonBytes(Input input) {
        return Json.bytes(toJson(input));
    }

    public static io.perkamo.schemas.avro.Input toAvro(Input input) {
        io.perkamo.schemas.avro.Input.Builder avro = io.perkamo.schemas.avro.Input.newBuilder()
                .setKind(InputKind.valueOf(input.kind()))
                .setUserId(input.userId())
                .setTransactionId(input.transactionId().orElse(null))
                .setOccurredAt(input.occurredAt());
        if (input instanceof Input.Event event) {
            avro.setEvent(event.event()).setContext(Json.text(event.context()));
        } else if (input instanceof Input.Redemption redemption) {
            avro.setReward(redemption.reward()).setContext(Json.text(redemption.context()));
        } else if (input instanceof Input.Identify identify) {
            avro.setTraits(Json.text(identify.traits()));
        }
        return avro.build();
    }
}
