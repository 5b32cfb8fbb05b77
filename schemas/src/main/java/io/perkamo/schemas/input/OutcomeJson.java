package io.perkamo.schemas.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.AvroTrust;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.OutcomeDelta;
import io.perkamo.schemas.avro.OutcomeEffect;
import io.perkamo.schemas.avro.OutcomeError;
import io.perkamo.schemas.avro.OutcomeLevel;
import io.perkamo.schemas.avro.OutcomeUnlock;

/**
 * An Outcome as the SPEC's IngestResult JSON (what the SDKs parse), plus user_id, kind, event,
 * reward, occurred_at and program_version: the HTTP answer and the value on a JSON outcomes
 * topic. reason, error, event and reward appear only when set; effects omit null fields;
 * level is null when the program has no levels; wallet_state keys are sorted.
 */
public final class OutcomeJson {

    static {
        AvroTrust.install();
    }

    private OutcomeJson() {
    }

    public static ObjectNode toJson(Outcome outcome) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("applied", outcome.getApplied());
        json.put("duplicate", outcome.getDuplicate());
        ArrayNode delta = json.putArray("delta");
        outcome.getDelta().forEach(d -> delta.addObject().put("wallet", d.getWallet()).put("amount", d.getAmount()));
        json.put("leveled_up", outcome.getLeveledUp());
        ArrayNode unlocked = json.putArray("unlocked");
        outcome.getUnlocked().forEach(u -> unlocked.addObject()
                .put("type", u.getType()).put("key", u.getKey()).put("name", u.getName()));
        json.set("wallet_state", JsonRead.longsJson(outcome.getWalletState()));
        OutcomeLevel level = outcome.getLevel();
        json.set("level", level == null ? NullNode.getInstance()
                : new LevelJson(level.getWallet(), level.getLevel(), level.getName(), level.getCurrent(),
                        level.getCurrentLevelAt(), level.getNextLevelAt(), level.getProgress()).toJson());
        json.set("transaction_id", JsonRead.nullable(outcome.getTransactionId()));
        json.put("status", outcome.getStatus());
        if (outcome.getReason() != null) {
            json.put("reason", outcome.getReason());
        }
        ArrayNode effects = json.putArray("effects");
        for (OutcomeEffect effect : outcome.getEffects()) {
            ObjectNode e = effects.addObject().put("type", effect.getType());
            putIfSet(e, "key", effect.getKey());
            putIfSet(e, "reason", effect.getReason());
            putIfSet(e, "wallet", effect.getWallet());
            if (effect.getAmount() != null) {
                e.put("amount", effect.getAmount());
            }
            putIfSet(e, "message", effect.getMessage());
        }
        if (outcome.getError() != null) {
            json.putObject("error").put("code", outcome.getError().getCode())
                    .put("message", outcome.getError().getMessage());
        }
        json.put("user_id", outcome.getUserId());
        json.put("kind", outcome.getKind());
        putIfSet(json, "event", outcome.getEvent());
        putIfSet(json, "reward", outcome.getReward());
        json.put("occurred_at", Json.instant(outcome.getOccurredAt()));
        json.put("program_version", outcome.getProgramVersion());
        return json;
    }

    /**
     * Reads {@link #toJson}'s shape back (a JSON outcomes topic). Throws IllegalArgumentException
     * naming the field when the JSON is not that shape.
     */
    public static Outcome fromJson(JsonNode json) {
        JsonNode level = json.get("level");
        JsonNode error = json.get("error");
        return Outcome.newBuilder()
                .setApplied(JsonRead.bool(json, "applied", false))
                .setDuplicate(JsonRead.bool(json, "duplicate", false))
                .setDelta(JsonRead.list(json, "delta",
                        d -> new OutcomeDelta(JsonRead.text(d, "wallet"), JsonRead.longValue(d, "amount"))))
                .setLeveledUp(JsonRead.bool(json, "leveled_up", false))
                .setUnlocked(JsonRead.list(json, "unlocked", u -> new OutcomeUnlock(JsonRead.text(u, "type"),
                        JsonRead.text(u, "key"), JsonRead.text(u, "name"))))
                .setWalletState(JsonRead.longs(json, "wallet_state"))
                .setLevel(level == null || level.isNull() ? null : outcomeLevel(LevelJson.fromJson(level)))
                .setTransactionId(JsonRead.optionalText(json, "transaction_id"))
                .setStatus(JsonRead.text(json, "status"))
                .setReason(JsonRead.optionalText(json, "reason"))
                .setEffects(JsonRead.list(json, "effects", e -> new OutcomeEffect(JsonRead.text(e, "type"),
                        JsonRead.optionalText(e, "key"), JsonRead.optionalText(e, "reason"),
                        JsonRead.optionalText(e, "wallet"), JsonRead.optionalLong(e, "amount"),
                        JsonRead.optionalText(e, "message"))))
                .setError(error == null || error.isNull() ? null
                        : new OutcomeError(JsonRead.text(error, "code"), JsonRead.text(error, "message")))
                .setUserId(JsonRead.text(json, "user_id"))
                .setKind(JsonRead.text(json, "kind"))
                .setEvent(JsonRead.optionalText(json, "event"))
                .setReward(JsonRead.optionalText(json, "reward"))
                .setOccurredAt(JsonRead.instant(json, "occurred_at"))
                .setProgramVersion(JsonRead.longValue(json, "program_version"))
                .build();
    }

    private static OutcomeLevel outcomeLevel(LevelJson level) {
        return new OutcomeLevel(level.wallet(), level.level(), level.name(), level.current(), level.currentLevelAt(),
                level.nextLevelAt(), level.progress());
    }

    private static void putIfSet(ObjectNode json, String name, String value) {
        if (value != null) {
            json.put(name, value);
        }
    }
}
