package io.perkamo.schemas.input;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.AvroTrust;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.avro.ProfileAchievement;
import io.perkamo.schemas.avro.ProfileLevel;
import io.perkamo.schemas.avro.ProfileLimitCounter;
import io.perkamo.schemas.avro.ProfilePerk;
import io.perkamo.schemas.avro.ProfileRedemption;

/**
 * A Profile as JSON, for a JSON profiles topic: the .avsc's snake_case field names, except
 * level, which has IngestResult's camelCase shape; traits is a JSON object (not text);
 * timestamps are ISO-8601 UTC with Z; maps have sorted keys.
 */
public final class ProfileJson {
    private static final String NO_TRAITS = "{}";

    static {
        AvroTrust.install();
    }

    private ProfileJson() {
    }

    /** Throws IllegalArgumentException when the profile's traits are not a JSON object. */
    public static ObjectNode toJson(Profile profile) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("user_id", profile.getUserId());
        json.put("version", profile.getVersion());
        json.put("program_version", profile.getProgramVersion());
        json.set("wallets", JsonRead.longsJson(profile.getWallets()));
        json.set("earned", JsonRead.longsJson(profile.getEarned()));
        ProfileLevel level = profile.getLevel();
        json.set("level", level == null ? NullNode.getInstance()
                : new LevelJson(level.getWallet(), level.getLevel(), level.getName(), level.getCurrent(),
                        level.getCurrentLevelAt(), level.getNextLevelAt(), level.getProgress()).toJson());
        ArrayNode perks = json.putArray("perks");
        profile.getPerks().forEach(p -> perks.addObject().put("key", p.getKey()).put("name", p.getName())
                .put("unlocked_at", Json.instant(p.getUnlockedAt())));
        json.set("traits", traits(profile.getTraits()));
        ArrayNode limits = json.putArray("limits");
        profile.getLimits().forEach(l -> limits.addObject().put("key", l.getKey()).put("period", l.getPeriod())
                .put("period_start", Json.instant(l.getPeriodStart())).put("count", l.getCount()));
        ArrayNode achievements = json.putArray("achievements");
        for (ProfileAchievement a : profile.getAchievements()) {
            ObjectNode achievement = achievements.addObject().put("key", a.getKey()).put("name", a.getName());
            achievement.set("unlocked_at", JsonRead.nullable(a.getUnlockedAt()));
            achievement.put("count", a.getCount()).put("streak_days", a.getStreakDays());
            achievement.set("last_day", a.getLastDay() == null ? NullNode.getInstance()
                    : json.numberNode(a.getLastDay()));
        }
        ArrayNode redemptions = json.putArray("redemptions");
        profile.getRedemptions().forEach(r -> redemptions.addObject().put("reward", r.getReward())
                .put("count", r.getCount()).put("last_at", Json.instant(r.getLastAt())));
        json.set("created_at", JsonRead.nullable(profile.getCreatedAt()));
        json.set("updated_at", JsonRead.nullable(profile.getUpdatedAt()));
        return json;
    }

    /**
     * {@link #toJson} as compact UTF-8 bytes, written straight from the record without the tree:
     * the same bytes as serializing {@link #toJson}'s tree (the API's profile reads).
     */
    public static byte[] toJsonBytes(Profile profile) {
        JsonNode traits = traits(profile.getTraits());
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            string(g, "user_id", profile.getUserId());
            g.writeNumberField("version", profile.getVersion());
            g.writeNumberField("program_version", profile.getProgramVersion());
            longs(g, "wallets", profile.getWallets());
            longs(g, "earned", profile.getEarned());
            level(g, profile.getLevel());
            g.writeArrayFieldStart("perks");
            for (ProfilePerk p : profile.getPerks()) {
                g.writeStartObject();
                string(g, "key", p.getKey());
                string(g, "name", p.getName());
                string(g, "unlocked_at", Json.instant(p.getUnlockedAt()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("traits");
            g.writeTree(traits);
            g.writeArrayFieldStart("limits");
            for (ProfileLimitCounter l : profile.getLimits()) {
                g.writeStartObject();
                string(g, "key", l.getKey());
                string(g, "period", l.getPeriod());
                string(g, "period_start", Json.instant(l.getPeriodStart()));
                g.writeNumberField("count", l.getCount());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("achievements");
            for (ProfileAchievement a : profile.getAchievements()) {
                g.writeStartObject();
                string(g, "key", a.getKey());
                string(g, "name", a.getName());
                instant(g, "unlocked_at", a.getUnlockedAt());
                g.writeNumberField("count", a.getCount());
                g.writeNumberField("streak_days", a.getStreakDays());
                if (a.getLastDay() == null) {
                    g.writeNullField("last_day");
                } else {
                    g.writeNumberField("last_day", a.getLastDay());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("redemptions");
            for (ProfileRedemption r : profile.getRedemptions()) {
                g.writeStartObject();
                string(g, "reward", r.getReward());
                g.writeNumberField("count", r.getCount());
                string(g, "last_at", Json.instant(r.getLastAt()));
                g.writeEndObject();
            }
            g.writeEndArray();
            instant(g, "created_at", profile.getCreatedAt());
            instant(g, "updated_at", profile.getUpdatedAt());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@link LevelJson#toJson}'s shape. */
    private static void level(JsonGenerator g, ProfileLevel level) throws IOException {
        if (level == null) {
            g.writeNullField("level");
            return;
        }
        g.writeObjectFieldStart("level");
        string(g, "wallet", level.getWallet());
        g.writeNumberField("level", level.getLevel());
        string(g, "name", level.getName());
        g.writeNumberField("current", level.getCurrent());
        g.writeNumberField("currentLevelAt", level.getCurrentLevelAt());
        if (level.getNextLevelAt() == null) {
            g.writeNullField("nextLevelAt");
        } else {
            g.writeNumberField("nextLevelAt", level.getNextLevelAt());
        }
        g.writeNumberField("progress", level.getProgress());
        g.writeEndObject();
    }

    /** As {@code ObjectNode.put(name, text)} has it: a null text is a JSON null. */
    private static void string(JsonGenerator g, String name, String text) throws IOException {
        if (text == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, text);
        }
    }

    private static void instant(JsonGenerator g, String name, Instant at) throws IOException {
        string(g, name, at == null ? null : Json.instant(at));
    }

    /** Sorted by key, as {@link JsonRead#longsJson}. */
    private static void longs(JsonGenerator g, String name, Map<String, Long> map) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : new TreeMap<>(map).entrySet()) {
            if (e.getValue() == null) {
                g.writeNullField(e.getKey());
            } else {
                g.writeNumberField(e.getKey(), e.getValue());
            }
        }
        g.writeEndObject();
    }

    private static JsonNode traits(String text) {
        if (NO_TRAITS.equals(text)) {
            // what most profiles hold: a parser per profile read was ~6% of a profile read's CPU
            return Json.MAPPER.createObjectNode();
        }
        return Json.read(text).filter(JsonNode::isObject)
                .orElseThrow(() -> new IllegalArgumentException("traits of a profile must be a JSON object"));
    }

    /** Reads {@link #toJson}'s shape back; throws IllegalArgumentException naming a malformed field. */
    public static Profile fromJson(JsonNode json) {
        JsonNode level = json.get("level");
        JsonNode traits = json.get("traits");
        if (traits != null && !traits.isNull() && !traits.isObject()) {
            throw new IllegalArgumentException("traits must be a JSON object");
        }
        return Profile.newBuilder()
                .setUserId(JsonRead.text(json, "user_id"))
                .setVersion(JsonRead.longValue(json, "version"))
                .setProgramVersion(json.hasNonNull("program_version") ? JsonRead.longValue(json, "program_version") : 0)
                .setWallets(JsonRead.longs(json, "wallets"))
                .setEarned(JsonRead.longs(json, "earned"))
                .setLevel(level == null || level.isNull() ? null : profileLevel(LevelJson.fromJson(level)))
                .setPerks(JsonRead.list(json, "perks", p -> new ProfilePerk(JsonRead.text(p, "key"),
                        JsonRead.text(p, "name"), JsonRead.instant(p, "unlocked_at"))))
                .setTraits(traits == null || traits.isNull() ? "{}" : Json.text(traits))
                .setLimits(JsonRead.list(json, "limits", l -> new ProfileLimitCounter(JsonRead.text(l, "key"),
                        JsonRead.text(l, "period"), JsonRead.instant(l, "period_start"), JsonRead.longValue(l, "count"))))
                .setAchievements(JsonRead.list(json, "achievements", a -> new ProfileAchievement(
                        JsonRead.text(a, "key"), JsonRead.text(a, "name"), JsonRead.optionalInstant(a, "unlocked_at"),
                        a.hasNonNull("count") ? JsonRead.longValue(a, "count") : 0L,
                        a.hasNonNull("streak_days") ? JsonRead.intValue(a, "streak_days") : 0,
                        JsonRead.optionalInt(a, "last_day"))))
                .setRedemptions(JsonRead.list(json, "redemptions", r -> new ProfileRedemption(
                        JsonRead.text(r, "reward"), JsonRead.longValue(r, "count"), JsonRead.instant(r, "last_at"))))
                .setCreatedAt(JsonRead.optionalInstant(json, "created_at"))
                .setUpdatedAt(JsonRead.optionalInstant(json, "updated_at"))
                .build();
    }

    private static ProfileLevel profileLevel(LevelJson level) {
        return new ProfileLevel(level.wallet(), level.level(), level.name(), level.current(), level.currentLevelAt(),
                level.nextLevelAt(), level.progress());
    }
}
