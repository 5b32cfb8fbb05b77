package io.perkamo.core.fold;

import java.util.Optional;

import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.fold.ProfileState.RedemptionCount;
import io.perkamo.schemas.input.Input;

/** A redemption: the reward checks, then the cost, the counters and the reward's unlocks. */
final class Redeem {
    private Redeem() {
    }

    /** Redeems or returns the rejection reason (checked in this order). */
    static Optional<String> redeem(Fold f, Input.Redemption r) {
        Optional<ProgramDefinition.Reward> found = f.program.reward(r.reward());
        if (found.isEmpty()) {
            return Optional.of(Engine.UNKNOWN_REWARD);
        }
        ProgramDefinition.Reward reward = found.get();
        if (reward.minLevel().isPresent() && currentLevel(f) < reward.minLevel().get()) {
            return Optional.of(Engine.LEVEL_REQUIRED);
        }
        String limitKey = ProfileState.REWARD_LIMIT_PREFIX + reward.key();
        if (reward.limit().isPresent() && f.used(limitKey, reward.limit().get()) >= reward.limit().get().count()) {
            return Optional.of(Engine.LIMIT_REACHED);
        }
        if (f.wallets().getOrDefault(reward.cost().wallet(), 0L) < reward.cost().amount()) {
            return Optional.of(Engine.INSUFFICIENT_BALANCE);
        }
        f.debit(reward.key(), reward.cost().wallet(), reward.cost().amount(), Effect.DEBIT_SHORTFALL);
        if (reward.limit().isPresent()) {
            f.count(limitKey, reward.limit().get());
        }
        RedemptionCount previous = f.redemptions().get(reward.key());
        f.redemptions().put(reward.key(), new RedemptionCount(previous == null ? 1 : previous.count() + 1, f.at));
        f.unlock(new Unlock(Unlock.Type.REWARD, reward.key(), reward.name()));
        f.effects.add(Effect.make(Effect.REWARD_REDEEMED, reward.key(), null, reward.cost().wallet(),
                reward.cost().amount(), null));
        f.unlockPerks(reward.unlock());
        return Optional.empty();
    }

    /** The level the profile holds now under this program (the stored one may predate it). */
    private static int currentLevel(Fold f) {
        return f.program.levels()
                .map(l -> Math.max(f.newLevel, Levels.reached(l, Levels.basisValue(l, f.before)).level()))
                .orElse(f.newLevel);
    }
}
