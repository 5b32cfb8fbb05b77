package io.perkamo.schemas.input;

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
        JsonNode traits = Json.read(profile.getTraits()).filter(JsonNode::isObject)
                .orElseThrow(() -> new IllegalArgumentException("traits of a profile must be a JSON object"));
        json.set("traits", traits);
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
