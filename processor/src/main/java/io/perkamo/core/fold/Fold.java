package io.perkamo.core.fold;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.cel.CelValues;
import io.perkamo.core.cel.Condition;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.fold.ProfileState.AchievementProgress;
import io.perkamo.core.fold.ProfileState.LimitWindows;
import io.perkamo.core.fold.ProfileState.RedemptionCount;
import io.perkamo.schemas.input.Input;

/**
 * One input's evaluation over a mutable working copy of the state, and the bookkeeping every
 * input kind shares (wallets, limits, perks, effects). The kinds themselves are {@link Earn},
 * {@link Reverse}, {@link Redeem}, {@link Identify}, {@link Achievements}, then {@link LevelChange}
 * for all. Conditions read this as their facts: the input, and the profile as it was before it.
 */
final class Fold implements Condition.Facts {
    final CompiledProgram program;
    final ProfileState before;
    final DecisionLookup lookup;
    final Input input;
    final Instant at;

    // copy-on-write working copies of the state's maps, made on first use (see the accessors):
    // an input copies only the maps it changes
    private SortedArrayMap.Draft<Long> wallets;
    private SortedArrayMap.Draft<Long> earned;
    private SortedArrayMap.Draft<Instant> perks;
    private SortedArrayMap.Draft<LimitWindows> limits;
    private SortedArrayMap.Draft<AchievementProgress> achievements;
    private SortedArrayMap.Draft<RedemptionCount> redemptions;
    // the input's traits and level so far; traits() and level() are the facts, from before the input
    ObjectNode newTraits;
    int newLevel;

    /** Net change per program wallet (by index), and per other wallet (a reversal may name one). */
    private final long[] delta;
    private SortedMap<String, Long> otherDelta;
    private List<Unlock> unlocked = List.of();
    final List<Effect> effects = new ArrayList<>(4);
    /** Decisions rewritten by reversals, in order; this input's own decision comes last. */
    Map<String, PriorDecision> reversed = Map.of();
    private Condition.Bindings bindings;
    boolean leveledUp;

    Fold(CompiledProgram program, ProfileState state, DecisionLookup lookup, Input input) {
        this.program = program;
        this.before = state;
        this.lookup = lookup;
        this.input = input;
        this.at = input.occurredAt();
        this.newTraits = state.traits();
        this.newLevel = state.level();
        this.delta = new long[program.walletKeys().size()];
    }

    Decision run(Optional<String> fingerprint) {
        Outcome.Status status = Outcome.Status.APPLIED;
        Optional<String> reason = Optional.empty();
        if (input instanceof Input.Event e) {
            Earn.event(this, e);
        } else if (input instanceof Input.Identify i) {
            Identify.merge(this, i);
        } else {
            Input.Redemption r = (Input.Redemption) input;
            Optional<String> rejection = Redeem.redeem(this, r);
            if (rejection.isPresent()) {
                return rejected(rejection.get(), fingerprint);
            }
            status = Outcome.Status.REDEEMED;
        }
        LevelChange.follow(this);
        Optional<Instant> updatedAt = Optional.of(at);
        ProfileState after = new ProfileState(before.userId(), before.version() + 1, program.version(),
                result(wallets, before.wallets()), result(earned, before.earned()), newLevel,
                result(perks, before.perks()), result(limits, before.limits()), newTraits,
                result(achievements, before.achievements()), result(redemptions, before.redemptions()),
                before.createdAt().isPresent() ? before.createdAt() : updatedAt, updatedAt);
        Outcome outcome = Engine.outcome(input, program.version(), status, reason, true, false, deltaList(),
                leveledUp, unlocked, program, after, effects, Optional.empty());
        if (fingerprint.isEmpty()) {
            return new Decision(after, outcome, reversed);
        }
        // the outcome's lists are immutable already: the decision shares them
        PriorDecision own = new PriorDecision(fingerprint.get(), at, program.version(), outcome.status(), reason,
                outcome.delta(), outcome.unlocked(), leveledUp, false);
        String txId = outcome.transactionId().orElseThrow();
        if (reversed.isEmpty()) {
            return new Decision(after, outcome, Map.of(txId, own));
        }
        Map<String, PriorDecision> writes = new LinkedHashMap<>(reversed);
        writes.put(txId, own);
        return new Decision(after, outcome, writes);
    }

    /** A refused redemption: recorded in the dedup store so a retry gets the same answer; state unchanged. */
    private Decision rejected(String reason, Optional<String> fingerprint) {
        List<Effect> rejection = List.of(Effect.skipped(Effect.REDEMPTION_REJECTED,
                ((Input.Redemption) input).reward(), reason, null));
        Outcome outcome = Engine.outcome(input, program.version(), Outcome.Status.REJECTED, Optional.of(reason),
                false, false, List.of(), false, List.of(), program, before, rejection, Optional.empty());
        Map<String, PriorDecision> w = new LinkedHashMap<>();
        fingerprint.ifPresent(fp -> w.put(input.transactionId().orElseThrow(),
                new PriorDecision(fp, at, program.version(), Outcome.Status.REJECTED, Optional.of(reason),
                        List.of(), List.of(), false, false)));
        return new Decision(before, outcome, w);
    }

    // ---- working copies, made on first use ---------------------------------------------------

    SortedArrayMap.Draft<Long> wallets() {
        if (wallets == null) {
            wallets = draft(before.wallets());
        }
        return wallets;
    }

    SortedArrayMap.Draft<Long> earned() {
        if (earned == null) {
            earned = draft(before.earned());
        }
        return earned;
    }

    private SortedArrayMap.Draft<Instant> perks() {
        if (perks == null) {
            perks = draft(before.perks());
        }
        return perks;
    }

    private SortedArrayMap.Draft<LimitWindows> limits() {
        if (limits == null) {
            limits = draft(before.limits());
        }
        return limits;
    }

    SortedArrayMap.Draft<AchievementProgress> achievements() {
        if (achievements == null) {
            achievements = draft(before.achievements());
        }
        return achievements;
    }

    SortedArrayMap.Draft<RedemptionCount> redemptions() {
        if (redemptions == null) {
            redemptions = draft(before.redemptions());
        }
        return redemptions;
    }

    /** A working copy of one of the state's maps (always SortedArrayMaps: ProfileState makes them so). */
    private static <V> SortedArrayMap.Draft<V> draft(SortedMap<String, V> map) {
        return new SortedArrayMap.Draft<>(SortedArrayMap.copyOf(map));
    }

    /** The changed map, or the state's own when the input never made a working copy. */
    private static <V> SortedMap<String, V> result(SortedArrayMap.Draft<V> draft, SortedMap<String, V> unchanged) {
        return draft == null ? unchanged : draft.result();
    }

    // ---- condition facts: the input, and the profile as it was before this input -------------

    @Override
    public ObjectNode context() {
        return ((Input.Event) input).context();
    }

    @Override
    public String event() {
        return ((Input.Event) input).event();
    }

    @Override
    public ObjectNode traits() {
        return before.traits();
    }

    @Override
    public boolean hasWallet(String key) {
        return program.hasWallet(key) || before.wallets().containsKey(key);
    }

    @Override
    public long wallet(String key) {
        return before.balance(key);
    }

    @Override
    public long level() {
        return before.level();
    }

    /** Only when CEL itself runs: most conditions are answered from the facts above. */
    @Override
    public Condition.Bindings bindings() {
        if (bindings == null) {
            Map<String, Long> walletView = new LinkedHashMap<>(new WalletState(program, before));
            bindings = new Condition.Bindings(CelValues.fromObject(context()), event(),
                    CelValues.fromObject(traits()), walletView, level());
        }
        return bindings;
    }

    // ---- wallets ------------------------------------------------------------------------------

    /** Credits a balance and its earned total; returns the skip reason when it could not be made. */
    Optional<String> credit(String key, String wallet, long amount) {
        long balance = wallets().getOrDefault(wallet, 0L);
        long total = earned().getOrDefault(wallet, 0L);
        long newBalance;
        long newTotal;
        try {
            newBalance = Math.addExact(balance, amount);
            newTotal = Math.addExact(total, amount);
        } catch (ArithmeticException ex) {
            effects.add(Effect.make(Effect.AWARD_SKIPPED, key, "overflow", wallet, amount,
                    "the balance would overflow"));
            return Optional.of("overflow");
        }
        wallets().put(wallet, newBalance);
        earned().put(wallet, newTotal);
        addDelta(wallet, amount);
        return Optional.empty();
    }

    /** Takes up to {@code amount}; a balance never goes below zero, the shortfall is reported. */
    long debit(String key, String wallet, long amount, String shortfallType) {
        long balance = wallets().getOrDefault(wallet, 0L);
        long taken = Math.min(balance, amount);
        wallets().put(wallet, balance - taken);
        addDelta(wallet, -taken);
        if (taken < amount) {
            effects.add(Effect.make(shortfallType, key, null, wallet, amount - taken,
                    "the balance covered " + taken + " of " + amount));
        }
        return taken;
    }

    private void addDelta(String wallet, long amount) {
        int i = program.walletIndex(wallet);
        if (i >= 0) {
            delta[i] += amount;
            return;
        }
        if (otherDelta == null) {
            otherDelta = new TreeMap<>();
        }
        otherDelta.merge(wallet, amount, Long::sum);
    }

    /** Net per wallet, zeros omitted, program wallet order first, then other wallets by key. */
    private List<WalletAmount> deltaList() {
        List<String> keys = program.walletKeys();
        List<WalletAmount> out = new ArrayList<>(keys.size());
        for (int i = 0; i < delta.length; i++) {
            if (delta[i] != 0) {
                out.add(new WalletAmount(keys.get(i), delta[i]));
            }
        }
        if (otherDelta != null) {
            otherDelta.forEach((w, v) -> {
                if (v != 0) {
                    out.add(new WalletAmount(w, v));
                }
            });
        }
        return out;
    }

    // ---- limits (rules and rewards) -----------------------------------------------------------

    /** This input's window's count; {@link LimitWindows#BEYOND_HORIZON} past the kept windows. */
    long used(String key, ProgramDefinition.Limit limit) {
        LimitWindows windows = limits != null ? limits.get(key) : before.limits().get(key);
        return windows == null ? 0 : windows.used(limit.per(), limit.per().startSecond(at));
    }

    /** Counts one use in the window of this input (by event time; a late input in its own window). */
    void count(String key, ProgramDefinition.Limit limit) {
        LimitWindows windows = limits().getOrDefault(key, LimitWindows.NONE);
        limits().put(key, windows.plusOne(limit.per(), limit.per().startSecond(at)));
    }

    // ---- unlocks ------------------------------------------------------------------------------

    void unlock(Unlock u) {
        if (unlocked.isEmpty()) {
            unlocked = new ArrayList<>(2);
        }
        unlocked.add(u);
    }

    void unlockPerks(List<String> keys) {
        for (int i = 0; i < keys.size(); i++) {
            unlockPerk(keys.get(i));
        }
    }

    private void unlockPerk(String perk) {
        if (perks != null ? perks.containsKey(perk) : before.perks().containsKey(perk)) {
            return;
        }
        perks().put(perk, at);
        String name = program.perkName(perk).orElse(perk);
        unlock(new Unlock(Unlock.Type.PERK, perk, name));
        effects.add(Effect.of(Effect.PERK_UNLOCKED, perk));
    }
}
