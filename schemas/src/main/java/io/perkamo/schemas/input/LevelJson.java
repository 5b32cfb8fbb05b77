package io.perkamo.schemas.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The level object of IngestResult and Profile: {wallet, level, name, current, currentLevelAt,
 * nextLevelAt, progress}, camelCase as the SDKs read it; level is a JSON integer and
 * nextLevelAt is null at the top level.
 */
record LevelJson(String wallet, int level, String name, long current, long currentLevelAt, Long nextLevelAt,
                 double progress) {

    ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("wallet", wallet);
        json.put("level", level);
        json.set("name", JsonRead.nullable(name));
        json.put("current", current);
        json.put("currentLevelAt", currentLevelAt);
        json.set("nextLevelAt", JsonRead.nullable(nextLevelAt));
        json.put("progress", progress);
        return json;
    }

    static LevelJson fromJson(JsonNode json) {
        return new LevelJson(JsonRead.text(json, "wallet"), JsonRead.intValue(json, "level"),
                JsonRead.optionalText(json, "name"), JsonRead.longValue(json, "current"),
                JsonRead.longValue(json, "currentLevelAt"), JsonRead.optionalLong(json, "nextLevelAt"),
                JsonRead.doubleValue(json, "progress"));
    }
}
