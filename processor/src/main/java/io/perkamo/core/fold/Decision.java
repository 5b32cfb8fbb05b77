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
        writes = Collections.unmodifiableMap(new LinkedHashMap<>(writes));
    }
}
