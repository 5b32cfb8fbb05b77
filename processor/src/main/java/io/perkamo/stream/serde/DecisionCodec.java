package io.perkamo.stream.serde;

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

    public static StoredDecision toAvro(PriorDecision d) {
        return StoredDecision.newBuilder()
                .setFingerprint(d.fingerprint())
                .setOccurredAt(d.occurredAt())
                .setProgramVersion(d.programVersion())
                .setStatus(d.status().wire())
                .setReason(d.reason().orElse(null))
                .setDelta(d.delta().stream().map(w -> StoredDelta.newBuilder().setWallet(w.wallet())
                        .setAmount(w.amount()).build()).toList())
                .setUnlocked(d.unlocked().stream().map(u -> StoredUnlock.newBuilder().setType(u.type().wire())
                        .setKey(u.key()).setName(u.name()).build()).toList())
                .setLeveledUp(d.leveledUp())
                .setReversed(d.reversed())
                .build();
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
