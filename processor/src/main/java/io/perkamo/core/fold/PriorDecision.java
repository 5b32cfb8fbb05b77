package io.perkamo.core.fold;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the dedup store keeps per transaction_id: the payload fingerprint and the summary of the
 * original outcome, so a retry is answered as the original was and a reversal knows what to
 * take back.
 */
public record PriorDecision(String fingerprint, Instant occurredAt, long programVersion, Outcome.Status status,
                            Optional<String> reason, List<WalletAmount> delta, List<Unlock> unlocked,
                            boolean leveledUp, boolean reversed) {

    public PriorDecision {
        delta = List.copyOf(delta);
        unlocked = List.copyOf(unlocked);
    }

    public PriorDecision markReversed() {
        return new PriorDecision(fingerprint, occurredAt, programVersion, status, reason, delta, unlocked, leveledUp,
                true);
    }
}
