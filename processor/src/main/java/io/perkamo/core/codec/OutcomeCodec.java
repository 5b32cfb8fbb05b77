package io.perkamo.core.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

import io.perkamo.core.fold.Effect;
import io.perkamo.core.fold.LevelView;
import io.perkamo.core.fold.Outcome;
import io.perkamo.core.fold.Unlock;
import io.perkamo.core.fold.WalletAmount;
import io.perkamo.schemas.avro.OutcomeDelta;
import io.perkamo.schemas.avro.OutcomeEffect;
import io.perkamo.schemas.avro.OutcomeError;
import io.perkamo.schemas.avro.OutcomeLevel;
import io.perkamo.schemas.avro.OutcomeUnlock;

/** core Outcome <-> Avro Outcome (the outcomes topic). wallet_state keeps the outcome's order. */
public final class OutcomeCodec {
    private OutcomeCodec() {
    }

    public static io.perkamo.schemas.avro.Outcome toAvro(Outcome o) {
        List<OutcomeDelta> delta = new ArrayList<>(o.delta().size());
        for (WalletAmount d : o.delta()) {
            delta.add(new OutcomeDelta(d.wallet(), d.amount()));
        }
        List<OutcomeUnlock> unlocked = new ArrayList<>(o.unlocked().size());
        for (Unlock u : o.unlocked()) {
            unlocked.add(new OutcomeUnlock(u.type().wire(), u.key(), u.name()));
        }
        List<OutcomeEffect> effects = new ArrayList<>(o.effects().size());
        for (Effect e : o.effects()) {
            effects.add(new OutcomeEffect(e.type(), e.key().orElse(null), e.reason().orElse(null),
                    e.wallet().orElse(null), e.amount().orElse(null), e.message().orElse(null)));
        }
        // the constructor, not the builder: a builder validates and deep-copies defaults per record
        return new io.perkamo.schemas.avro.Outcome(o.userId(), o.kind(), o.transactionId().orElse(null),
                o.event().orElse(null), o.reward().orElse(null), o.occurredAt(), o.programVersion(),
                o.status().wire(), o.reason().orElse(null), o.applied(), o.duplicate(), delta, o.leveledUp(),
                unlocked, new LinkedHashMap<>(o.walletState()), o.level().map(OutcomeCodec::level).orElse(null),
                effects, o.error().map(e -> new OutcomeError(e.code(), e.message())).orElse(null));
    }

    public static Outcome fromAvro(io.perkamo.schemas.avro.Outcome a) {
        List<WalletAmount> delta = a.getDelta().stream().map(d -> new WalletAmount(d.getWallet(), d.getAmount()))
                .toList();
        List<Unlock> unlocked = a.getUnlocked().stream().map(u -> new Unlock(Unlock.Type.fromWire(u.getType())
                .orElseThrow(() -> new IllegalArgumentException("unknown unlock type " + u.getType())), u.getKey(),
                u.getName())).toList();
        Optional<LevelView> level = Optional.ofNullable(a.getLevel()).map(l -> new LevelView(l.getWallet(),
                l.getLevel(), l.getName() == null ? "" : l.getName(), l.getCurrent(), l.getCurrentLevelAt(),
                Optional.ofNullable(l.getNextLevelAt()), l.getProgress()));
        List<Effect> effects = a.getEffects().stream().map(e -> new Effect(e.getType(), Optional.ofNullable(e.getKey()),
                Optional.ofNullable(e.getReason()), Optional.ofNullable(e.getWallet()),
                Optional.ofNullable(e.getAmount()), Optional.ofNullable(e.getMessage()))).toList();
        return new Outcome(a.getUserId(), a.getKind(), Optional.ofNullable(a.getTransactionId()),
                Optional.ofNullable(a.getEvent()), Optional.ofNullable(a.getReward()), a.getOccurredAt(),
                a.getProgramVersion(), Outcome.Status.fromWire(a.getStatus())
                .orElseThrow(() -> new IllegalArgumentException("unknown status " + a.getStatus())),
                Optional.ofNullable(a.getReason()), a.getApplied(), a.getDuplicate(), delta, a.getLeveledUp(),
                unlocked, a.getWalletState(), level, effects,
                Optional.ofNullable(a.getError()).map(e -> new Outcome.ErrorInfo(e.getCode(), e.getMessage())));
    }

    private static OutcomeLevel level(LevelView v) {
        return new OutcomeLevel(v.wallet(), v.level(), v.name(), v.current(), v.currentLevelAt(),
                v.nextLevelAt().orElse(null), v.progress());
    }
}
