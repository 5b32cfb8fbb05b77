package io.perkamo.core.program;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The SDK's view of a program (GET /v1/program {@code blueprint}): how users can earn. */
public record Blueprint(List<EarningRule> earningRules) {

    public Blueprint {
        earningRules = List.copyOf(earningRules);
    }

    /** label defaults to the rule key. */
    public record EarningRule(String key, String event, String label, List<ProgramDefinition.Award> awards) {
        public EarningRule {
            awards = List.copyOf(awards);
        }
    }

    static Blueprint of(ProgramDefinition def) {
        return new Blueprint(def.rules().stream()
                .map(r -> new EarningRule(r.key(), r.event(), r.displayLabel(), r.award()))
                .toList());
    }

    /** {@code {"earningRules":[{"key","event","label","award":[...]}]}}. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode rules = root.putArray("earningRules");
        for (EarningRule r : earningRules) {
            ObjectNode n = rules.addObject().put("key", r.key()).put("event", r.event()).put("label", r.label());
            ProgramDefinition.putAwards(n, r.awards());
            if (!n.has("award")) {
                n.putArray("award");
            }
        }
        return root;
    }
}
