package io.perkamo.core.fold;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of folding one input: the new state, the outcome to publish and the dedup entries
 * to store (keyed by transaction_id; empty for a duplicate or a conflict). Store the state and
 * the writes together (same transaction) or not at all.
 */
public record Decision(ProfileState state, Outcome outcome, Map<String, PriorDecision> writes) {
    public Decision {
        writes = switch (writes.size()) {
            // most decisions write none or one entry: no LinkedHashMap for those
            case 0 -> Map.of();
            case 1 -> {
                Map.Entry<String, PriorDecision> only = writes.entrySet().iterator().next();
                yield Map.of(only.getKey(), only.getValue());
            }
            default -> Collections.unmodifiableMap(new LinkedHashMap<>(writes));
        };
    }
}
