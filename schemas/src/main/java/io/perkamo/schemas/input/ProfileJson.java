package io.perkamo.schemas.input;

import io.perkamo.schemas.Json;
import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
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

    static {
        AvroTrust.install();
    }

    private ProfileJson() {
    }

    /** Throws IllegalArgumentException when the profile's traits are not a JSON object. */
    public static ObjectNode toJson(Profile profile) {
        return (ObjectNode) JsonWrite.tree(out -> write(profile, out));
    }

    /** {@link #toJson} as compact UTF-8 bytes, written without building the tree. */
    public static byte[] bytes(Profile profile) {
        return JsonWrite.bytes(out -> write(profile, out));
    }

    private static void write(Profile profile, JsonWrite out) throws IOException {
        out.startObject().field("user_id", profile.getUserId()).field("version", profile.getVersion())
                .field("program_version", profile.getProgramVersion())
                .longs("wallets", profile.getWallets()).longs("earned", profile.getEarned());
        ProfileLevel level = profile.getLevel();
        if (level == null) {
            out.field("level", (String) null);
        } else {
            new LevelJson(level.getWallet(), level.getLevel(), level.getName(), level.getCurrent(),
                    level.getCurrentLevelAt(), level.getNextLevelAt(), level.getProgress()).write("level", out);
        }
        out.startArray("perks");
        for (ProfilePerk p : profile.getPerks()) {
            out.startObject().field("key", p.getKey()).field("name", p.getName())
                    .field("unlocked_at", p.getUnlockedAt()).endObject();
        }
        out.endArray();
        writeTraits(profile.getTraits(), out);
        out.startArray("limits");
        for (ProfileLimitCounter l : profile.getLimits()) {
            out.startObject().field("key", l.getKey()).field("period", l.getPeriod())
                    .field("period_start", l.getPeriodStart()).field("count", l.getCount()).endObject();
        }
        out.endArray().startArray("achievements");
        for (ProfileAchievement a : profile.getAchievements()) {
            out.startObject().field("key", a.getKey()).field("name", a.getName())
                    .field("unlocked_at", a.getUnlockedAt()).field("count", a.getCount())
                    .field("streak_days", a.getStreakDays()).field("last_day", a.getLastDay()).endObject();
        }
        out.endArray().startArray("redemptions");
        for (ProfileRedemption r : profile.getRedemptions()) {
            out.startObject().field("reward", r.getReward()).field("count", r.getCount())
                    .field("last_at", r.getLastAt()).endObject();
        }
        out.endArray().field("created_at", profile.getCreatedAt()).field("updated_at", profile.getUpdatedAt())
                .endObject();
    }

    /** Most profiles have no traits: "{}" needs no parse. */
    private static void writeTraits(String text, JsonWrite out) throws IOException {
        if ("{}".equals(text)) {
            out.startObject("traits").endObject();
            return;
        }
        JsonNode traits = Json.read(text).filter(JsonNode::isObject)
                .orElseThrow(() -> new IllegalArgumentException("traits of a profile must be a JSON object"));
        out.field("traits", traits);
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
