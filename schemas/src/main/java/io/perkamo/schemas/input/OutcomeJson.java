package io.perkamo.schemas.input;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
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
        return (ObjectNode) JsonWrite.tree(out -> write(outcome, out));
    }

    /** {@link #toJson} as compact UTF-8 bytes, written without building the tree. */
    public static byte[] bytes(Outcome outcome) {
        return JsonWrite.bytes(out -> write(outcome, out));
    }

    /**
     * The IngestResult of an input that reached no decision: refused before the processor (an
     * invalid batch item) or not answered in time (status {@code pending}). The keys an outcome
     * has, in its order, so that SDK parsers read both; {@code error} says why, and
     * {@code errors} lists every problem when there are several to list.
     */
    public static byte[] refusal(Optional<String> transactionId, String status, String code, String message,
                                 List<Problem> problems) {
        return JsonWrite.bytes(out -> {
            out.startObject().field("applied", false).field("duplicate", false).startArray("delta").endArray()
                    .field("leveled_up", false).startArray("unlocked").endArray().longs("wallet_state", Map.of())
                    .field("level", (String) null).field("transaction_id", transactionId.orElse(null))
                    .field("status", status).startArray("effects").endArray()
                    .startObject("error").field("code", code).field("message", message).endObject();
            if (!problems.isEmpty()) {
                out.startArray("errors");
                for (Problem p : problems) {
                    out.startObject().field("code", p.code()).field("field", p.field()).field("message", p.message())
                            .endObject();
                }
                out.endArray();
            }
            out.endObject();
        });
    }

    private static void write(Outcome outcome, JsonWrite out) throws IOException {
        out.startObject().field("applied", outcome.getApplied()).field("duplicate", outcome.getDuplicate())
                .startArray("delta");
        for (OutcomeDelta d : outcome.getDelta()) {
            out.startObject().field("wallet", d.getWallet()).field("amount", d.getAmount()).endObject();
        }
        out.endArray().field("leveled_up", outcome.getLeveledUp()).startArray("unlocked");
        for (OutcomeUnlock u : outcome.getUnlocked()) {
            out.startObject().field("type", u.getType()).field("key", u.getKey()).field("name", u.getName())
                    .endObject();
        }
        out.endArray().longs("wallet_state", outcome.getWalletState());
        OutcomeLevel level = outcome.getLevel();
        if (level == null) {
            out.field("level", (String) null);
        } else {
            new LevelJson(level.getWallet(), level.getLevel(), level.getName(), level.getCurrent(),
                    level.getCurrentLevelAt(), level.getNextLevelAt(), level.getProgress()).write("level", out);
        }
        out.field("transaction_id", outcome.getTransactionId()).field("status", outcome.getStatus())
                .fieldIfSet("reason", outcome.getReason()).startArray("effects");
        for (OutcomeEffect effect : outcome.getEffects()) {
            out.startObject().field("type", effect.getType()).fieldIfSet("key", effect.getKey())
                    .fieldIfSet("reason", effect.getReason()).fieldIfSet("wallet", effect.getWallet());
            if (effect.getAmount() != null) {
                out.field("amount", effect.getAmount());
            }
            out.fieldIfSet("message", effect.getMessage()).endObject();
        }
        out.endArray();
        if (outcome.getError() != null) {
            out.startObject("error").field("code", outcome.getError().getCode())
                    .field("message", outcome.getError().getMessage()).endObject();
        }
        out.field("user_id", outcome.getUserId()).field("kind", outcome.getKind())
                .fieldIfSet("event", outcome.getEvent()).fieldIfSet("reward", outcome.getReward())
                .field("occurred_at", outcome.getOccurredAt()).field("program_version", outcome.getProgramVersion())
                .endObject();
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
}
