package io.perkamo.schemas.input;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The level object of IngestResult and Profile: {wallet, level, name, current, currentLevelAt,
 * nextLevelAt, progress}, camelCase as the SDKs read it; level is a JSON integer and
 * nextLevelAt is null at the top level.
 */
record LevelJson(String wallet, int level, String name, long current, long currentLevelAt, Long nextLevelAt,
                 double progress) {

    void write(String field, JsonWrite out) throws IOException {
        out.startObject(field).field("wallet", wallet).field("level", level).field("name", name)
                .field("current", current).field("currentLevelAt", currentLevelAt)
                .field("nextLevelAt", nextLevelAt).field("progress", progress).endObject();
    }

    static LevelJson fromJson(JsonNode json) {
        return new LevelJson(JsonRead.text(json, "wallet"), JsonRead.intValue(json, "level"),
                JsonRead.optionalText(json, "name"), JsonRead.longValue(json, "current"),
                JsonRead.longValue(json, "currentLevelAt"), JsonRead.optionalLong(json, "nextLevelAt"),
                JsonRead.doubleValue(json, "progress"));
    }
}
