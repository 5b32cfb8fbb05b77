package io.perkamo.local;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.perkamo.schemas.Json;

/**
 * The records of the `_schemas` topic, in Confluent's layout: JSON keys
 * {"keytype":"SCHEMA","subject","version","magic":1} and {"keytype":"CONFIG","subject","magic":0},
 * JSON values {"subject","version","id","schema","deleted"} and {"compatibilityLevel"}.
 * Keys are written in a fixed field order so compaction sees equal bytes for equal keys.
 */
final class SchemaRecords {
    private static final ObjectMapper JSON = Json.MAPPER;

    private SchemaRecords() {
    }

    static String schemaKey(String subject, int version) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "SCHEMA");
        key.put("subject", subject);
        key.put("version", version);
        key.put("magic", 1);
        return key.toString();
    }

    static String schemaValue(RegistryState.Version v) {
        ObjectNode value = JSON.createObjectNode();
        value.put("subject", v.subject());
        value.put("version", v.version());
        value.put("id", v.id());
        value.put("schema", v.schema());
        value.put("deleted", v.deleted());
        return value.toString();
    }

    static String configKey(Optional<String> subject) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "CONFIG");
        if (subject.isPresent()) {
            key.put("subject", subject.get());
        } else {
            key.putNull("subject");
        }
        key.put("magic", 0);
        return key.toString();
    }

    static String configValue(CompatibilityLevel level) {
        ObjectNode value = JSON.createObjectNode();
        value.put("compatibilityLevel", level.name());
        return value.toString();
    }

    /**
     * Folds one record into the state. Key types other than SCHEMA and CONFIG (NOOP,
     * DELETE_SUBJECT, MODE, ...) carry nothing this registry needs and are skipped.
     *
     * @throws IllegalArgumentException when the record is not in the expected layout
     */
    static void applyTo(RegistryState state, String key, String value) {
        JsonNode k = read(key, "key");
        String type = k.path("keytype").asText("");
        switch (type) {
            case "SCHEMA" -> {
                String subject = requiredText(k, "subject");
                int version = requiredInt(k, "version");
                if (value == null) {
                    state.removeVersion(subject, version);
                    return;
                }
                JsonNode v = read(value, "value");
                state.apply(new RegistryState.Version(subject, version, requiredInt(v, "id"),
                        requiredText(v, "schema"), v.path("deleted").asBoolean(false)));
            }
            case "CONFIG" -> {
                JsonNode s = k.path("subject");
                Optional<String> subject = s.isTextual() ? Optional.of(s.asText()) : Optional.empty();
                Optional<CompatibilityLevel> level = value == null ? Optional.empty()
                        : CompatibilityLevel.parse(read(value, "value").path("compatibilityLevel").asText(null));
                state.applyLevel(subject, level);
            }
            default -> {
                // not ours to fold
            }
        }
    }

    private static JsonNode read(String text, String what) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not JSON", e);
        }
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode f = node.get(field);
        if (f == null || !f.isTextual()) {
            throw new IllegalArgumentException("missing text field " + field);
        }
        return f.asText();
    }

    private static int requiredInt(JsonNode node, String field) {
        JsonNode f = node.get(field);
        if (f == null || !f.canConvertToInt()) {
            throw new IllegalArgumentException("missing integer field " + field);
        }
        return f.asInt();
    }
}
