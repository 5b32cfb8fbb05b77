package io.perkamo.core.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.perkamo.core.fold.Outcome;
import io.perkamo.core.fold.PriorDecision;
import io.perkamo.core.fold.Unlock;
import io.perkamo.core.fold.WalletAmount;
import io.perkamo.schemas.avro.StoredDecision;
import io.perkamo.schemas.avro.StoredDelta;
import io.perkamo.schemas.avro.StoredUnlock;

/** PriorDecision <-> Avro StoredDecision (the dedup store value and its changelog). */
public final class DecisionCodec {
    private DecisionCodec() {
    }

    /** recorded_at is left unset: the caller knows when. */
    public static StoredDecision toAvro(PriorDecision d) {
        List<StoredDelta> delta = new ArrayList<>(d.delta().size());
        for (WalletAmount w : d.delta()) {
            delta.add(new StoredDelta(w.wallet(), w.amount()));
        }
        List<StoredUnlock> unlocked = new ArrayList<>(d.unlocked().size());
        for (Unlock u : d.unlocked()) {
            unlocked.add(new StoredUnlock(u.type().wire(), u.key(), u.name()));
        }
        // the constructor, not the builder: a builder validates and deep-copies defaults per record
        return new StoredDecision(d.fingerprint(), d.occurredAt(), d.programVersion(), d.status().wire(),
                d.reason().orElse(null), delta, unlocked, d.leveledUp(), d.reversed(), null);
    }

    public static PriorDecision fromAvro(StoredDecision s) {
        return new PriorDecision(s.getFingerprint(), s.getOccurredAt(), s.getProgramVersion(),
                Outcome.Status.fromWire(s.getStatus())
                        .orElseThrow(() -> new IllegalArgumentException("unknown status " + s.getStatus())),
                Optional.ofNullable(s.getReason()),
                s.getDelta().stream().map(d -> new WalletAmount(d.getWallet(), d.getAmount())).toList(),
                s.getUnlocked().stream().map(u -> new Unlock(Unlock.Type.fromWire(u.getType())
                        .orElseThrow(() -> new IllegalArgumentException("unknown unlock type " + u.getType())),
                        u.getKey(), u.getName())).toList(),
                s.getLeveledUp(), s.getReversed());
    }
}
