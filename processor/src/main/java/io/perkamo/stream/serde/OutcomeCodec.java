package io.perkamo.stream.serde;

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
        return io.perkamo.schemas.avro.Outcome.newBuilder()
                .setUserId(o.userId())
                .setKind(o.kind())
                .setTransactionId(o.transactionId().orElse(null))
                .setEvent(o.event().orElse(null))
                .setReward(o.reward().orElse(null))
                .setOccurredAt(o.occurredAt())
                .setProgramVersion(o.programVersion())
                .setStatus(o.status().wire())
                .setReason(o.reason().orElse(null))
                .setApplied(o.applied())
                .setDuplicate(o.duplicate())
                .setDelta(o.delta().stream().map(d -> OutcomeDelta.newBuilder().setWallet(d.wallet())
                        .setAmount(d.amount()).build()).toList())
                .setLeveledUp(o.leveledUp())
                .setUnlocked(o.unlocked().stream().map(u -> OutcomeUnlock.newBuilder().setType(u.type().wire())
                        .setKey(u.key()).setName(u.name()).build()).toList())
                .setWalletState(new LinkedHashMap<>(o.walletState()))
                .setLevel(o.level().map(OutcomeCodec::level).orElse(null))
                .setEffects(o.effects().stream().map(OutcomeCodec::effect).toList())
                .setError(o.error().map(e -> OutcomeError.newBuilder().setCode(e.code()).setMessage(e.message())
                        .build()).orElse(null))
                .build();
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
        return OutcomeLevel.newBuilder().setWallet(v.wallet()).setLevel(v.level()).setName(v.name())
                .setCurrent(v.current()).setCurrentLevelAt(v.currentLevelAt())
                .setNextLevelAt(v.nextLevelAt().orElse(null)).setProgress(v.progress()).build();
    }

    private static OutcomeEffect effect(Effect e) {
        return OutcomeEffect.newBuilder().setType(e.type()).setKey(e.key().orElse(null))
                .setReason(e.reason().orElse(null)).setWallet(e.wallet().orElse(null))
                .setAmount(e.amount().orElse(null)).setMessage(e.message().orElse(null)).build();
    }
}
