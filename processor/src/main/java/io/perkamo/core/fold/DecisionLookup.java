package io.perkamo.core.fold;

import java.util.Optional;

/** This user's stored decisions by transaction_id (a state store in the stream, a map in tests). */
@FunctionalInterface
public interface DecisionLookup {
    DecisionLookup NONE = transactionId -> Optional.empty();

    Optional<PriorDecision> find(String transactionId);
}
