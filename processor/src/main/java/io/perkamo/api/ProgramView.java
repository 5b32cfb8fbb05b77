package io.perkamo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;

/**
 * GET /v1/program: the active program as configured, plus {@code blueprint.earningRules}: one
 * entry per rule, {@code {key, event, label, award}}, label defaulting to the rule key. The PHP SDK's eventCatalog() returns this list.
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
            blueprint.set("earningRules", earningRules(program));
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

    /**
     * The core's view of the rules (the same model that validated and evaluates them), read as
     * a published version: it may carry fields the strict schema refuses in uploads.
     */
    private static JsonNode earningRules(ObjectNode program) {
        ProgramParse parsed = Programs.parsePublished(program);
        return parsed instanceof ProgramParse.Parsed ok
                ? ok.definition().blueprint().toJson().path("earningRules")
                : Json.array();
    }
}
