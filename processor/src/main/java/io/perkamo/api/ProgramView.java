package io.perkamo.api;

import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * GET /v1/program: the active program as configured, plus {@code blueprint.earningRules}: one
 * entry per rule with an event, {@code {key, event, label, awards, unlock?, when?, limit?}},
 * label defaulting to the rule key. The PHP SDK's eventCatalog() returns this list.
 */
final class ProgramView {
    private ProgramView() {
    }

    static ObjectNode render(String space, ObjectNode program) {
        ObjectNode out = program.deepCopy();
        if (!out.has("space")) {
            out.put("space", space);
        }
        ObjectNode blueprint = out.path("blueprint").isObject() ? (ObjectNode) out.get("blueprint") : Json.object();
        if (!blueprint.path("earningRules").isArray()) {
            blueprint.set("earningRules", earningRules(program.path("rules")));
        }
        out.set("blueprint", blueprint);
        return out;
    }

    static ObjectNode empty(String space) {
        ObjectNode out = Json.object();
        out.put("space", space);
        out.putNull("version");
        out.put("active", false);
        out.set("blueprint", Json.object().set("earningRules", Json.array()));
        return out;
    }

    private static ArrayNode earningRules(JsonNode rules) {
        ArrayNode list = Json.array();
        if (!rules.isArray()) {
            return list;
        }
        for (Iterator<JsonNode> it = rules.elements(); it.hasNext(); ) {
            JsonNode rule = it.next();
            JsonNode event = rule.path("event");
            if (!event.isTextual()) {
                continue;
            }
            ObjectNode entry = list.addObject();
            String key = rule.path("key").asText("");
            entry.put("key", key);
            entry.put("event", event.asText());
            JsonNode label = rule.path("label");
            entry.put("label", label.isTextual() && !label.asText().isBlank() ? label.asText()
                    : key.isEmpty() ? event.asText() : key);
            JsonNode award = rule.path("award");
            entry.set("awards", award.isArray() ? award.deepCopy() : Json.array());
            for (String optional : new String[] {"unlock", "when", "limit", "reverse"}) {
                if (rule.has(optional)) {
                    entry.set(optional, rule.get(optional).deepCopy());
                }
            }
        }
        return list;
    }
}
