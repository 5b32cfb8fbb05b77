package io.perkamo.core.fold;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.cel.CelValues;
import io.perkamo.core.cel.Condition;
import io.perkamo.core.formula.FormulaResult;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.CompiledProgram.CompiledAchievement;
import io.perkamo.core.program.CompiledProgram.CompiledAward;
import io.perkamo.core.program.CompiledProgram.CompiledRule;
import io.perkamo.core.program.Period;
import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.program.ProgramDefinition.Threshold;
import io.perkamo.core.fold.ProfileState.AchievementProgress;
import io.perkamo.core.fold.ProfileState.LimitWindows;
import io.perkamo.core.fold.ProfileState.RedemptionCount;
import io.perkamo.schemas.input.ErrorCodes;
import io.perkamo.schemas.input.Input;

/**
 * The fold: {@code (program, state, prior decisions, input) -> (state, outcome, dedup writes)}.
 * Pure and deterministic: no clock, no I/O; time is the input's occurred_at.
 */
public final class Engine {
    public static final String CONDITION_FALSE = "condition_false";
    public static final String CONDITION_ERROR = Condition.CONDITION_ERROR;
    public static final String LIMIT_REACHED = "limit_reached";
    public static final String UNKNOWN_TRANSACTION = "unknown_transaction";
    public static final String ALREADY_REVERSED = "already_reversed";
    public static final String INSUFFICIENT_BALANCE = "insufficient_balance";
    public static final String LEVEL_REQUIRED = "level_required";
    public static final String UNKNOWN_REWARD = "unknown_reward";
    public static final String NOTHING_AWARDED = "nothing_awarded";
    private static final String BEYOND_HORIZON_DETAIL =
            "; the input's window is older than the " + LimitWindows.KEPT + " kept";

    private Engine() {
    }

    public static Decision decide(CompiledProgram program, ProfileState state, DecisionLookup lookup, Input input) {
        Optional<String> txId = input.transactionId();
        if (txId.isEmpty()) {
            return new Fold(program, state, lookup, input).run(Optional.empty());
        }
        String fingerprint = Fingerprint.of(input);
        Optional<PriorDecision> prior = lookup.find(txId.get());
        if (prior.isPresent()) {
            return Fingerprint.matches(prior.get().fingerprint(), fingerprint, input)
                    ? duplicate(program, state, input, prior.get())
                    : conflict(program, state, input);
        }
        return new Fold(program, state, lookup, input).run(Optional.of(fingerprint));
    }

    /** A retry: the original answer with today's wallets and level; nothing changes. */
    private static Decision duplicate(CompiledProgram program, ProfileState state, Input input, PriorDecision prior) {
        Outcome outcome = outcome(input, program.version(), prior.status(), prior.reason(), false, true,
                prior.delta(), prior.leveledUp(), prior.unlocked(), program, state, List.of(), Optional.empty());
        return new Decision(state, outcome, Map.of());
    }

    private static Decision conflict(CompiledProgram program, ProfileState state, Input input) {
        String message = "transaction_id " + input.transactionId().orElse("")
                + " was already used with a different payload";
        Outcome outcome = outcome(input, program.version(), Outcome.Status.REJECTED,
                Optional.of(ErrorCodes.IDEMPOTENCY_CONFLICT), false, false, List.of(), false, List.of(), program,
                state, List.of(), Optional.of(new Outcome.ErrorInfo(ErrorCodes.IDEMPOTENCY_CONFLICT, message)));
        return new Decision(state, outcome, Map.of());
    }

    static Outcome outcome(Input input, long programVersion, Outcome.Status status, Optional<String> reason,
                           boolean applied, boolean duplicate, List<WalletAmount> delta, boolean leveledUp,
                           List<Unlock> unlocked, CompiledProgram program, ProfileState state, List<Effect> effects,
                           Optional<Outcome.ErrorInfo> error) {
        Optional<String> event = input instanceof Input.Event e ? Optional.of(e.event()) : Optional.empty();
        Optional<String> reward = input instanceof Input.Redemption r ? Optional.of(r.reward()) : Optional.empty();
        return new Outcome(input.userId(), input.kind(), input.transactionId(), event, reward, input.occurredAt(),
                programVersion, status, reason, applied, duplicate, delta, leveledUp, unlocked,
                walletState(program, state), Levels.view(program, state), effects, error);
    }

    /** Every program wallet (0 when untouched), then any other wallet the profile holds. */
    static Map<String, Long> walletState(CompiledProgram program, ProfileState state) {
        return new WalletState(program, state);
    }

    /** One input's evaluation over a mutable working copy of the state; conditions read it as their facts. */
    private static final class Fold implements Condition.Facts {
        private final CompiledProgram program;
        private final ProfileState before;
        private final DecisionLookup lookup;
        private final Input input;
        private final Instant at;

        // copy-on-write working copies of the state's maps, made on first use (see the accessors):
        // an input copies only the maps it changes
        private SortedArrayMap.Draft<Long> wallets;
        private SortedArrayMap.Draft<Long> earned;
        private SortedArrayMap.Draft<Instant> perks;
        private SortedArrayMap.Draft<LimitWindows> limits;
        private SortedArrayMap.Draft<AchievementProgress> achievements;
        private SortedArrayMap.Draft<RedemptionCount> redemptions;
        private ObjectNode traits;
        private int level;

        /** Net change per program wallet (by index), and per other wallet (a reversal may name one). */
        private final long[] delta;
        private SortedMap<String, Long> otherDelta;
        private List<Unlock> unlocked = List.of();
        private final List<Effect> effects = new ArrayList<>(4);
        /** Decisions rewritten by reversals, in order; this input's own decision comes last. */
        private Map<String, PriorDecision> reversed = Map.of();
        private Condition.Bindings bindings;
        private boolean leveledUp;

        Fold(CompiledProgram program, ProfileState state, DecisionLookup lookup, Input input) {
            this.program = program;
            this.before = state;
            this.lookup = lookup;
            this.input = input;
            this.at = input.occurredAt();
            this.traits = state.traits();
            this.level = state.level();
            this.delta = new long[program.walletKeys().size()];
        }

        Decision run(Optional<String> fingerprint) {
            Outcome.Status status = Outcome.Status.APPLIED;
            Optional<String> reason = Optional.empty();
            if (input instanceof Input.Event e) {
                event(e);
            } else if (input instanceof Input.Identify i) {
                identify(i);
            } else {
                Input.Redemption r = (Input.Redemption) input;
                Optional<String> rejection = redeem(r);
                if (rejection.isPresent()) {
                    return rejected(rejection.get(), fingerprint);
                }
                status = Outcome.Status.REDEEMED;
            }
            levels();
            Optional<Instant> updatedAt = Optional.of(at);
            ProfileState after = new ProfileState(before.userId(), before.version() + 1, program.version(),
                    result(wallets, before.wallets()), result(earned, before.earned()), level,
                    result(perks, before.perks()), result(limits, before.limits()), traits,
                    result(achievements, before.achievements()), result(redemptions, before.redemptions()),
                    before.createdAt().isPresent() ? before.createdAt() : updatedAt, updatedAt);
            Outcome outcome = outcome(input, program.version(), status, reason, true, false, deltaList(), leveledUp,
                    unlocked, program, after, effects, Optional.empty());
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
            Outcome outcome = outcome(input, program.version(), Outcome.Status.REJECTED, Optional.of(reason), false,
                    false, List.of(), false, List.of(), program, before, rejection, Optional.empty());
            Map<String, PriorDecision> w = new LinkedHashMap<>();
            fingerprint.ifPresent(fp -> w.put(input.transactionId().orElseThrow(),
                    new PriorDecision(fp, at, program.version(), Outcome.Status.REJECTED, Optional.of(reason),
                            List.of(), List.of(), false, false)));
            return new Decision(before, outcome, w);
        }

        private void unlock(Unlock u) {
            if (unlocked.isEmpty()) {
                unlocked = new ArrayList<>(2);
            }
            unlocked.add(u);
        }

        // working copies, made on first use

        private SortedArrayMap.Draft<Long> wallets() {
            if (wallets == null) {
                wallets = draft(before.wallets());
            }
            return wallets;
        }

        private SortedArrayMap.Draft<Long> earned() {
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

        private SortedArrayMap.Draft<AchievementProgress> achievements() {
            if (achievements == null) {
                achievements = draft(before.achievements());
            }
            return achievements;
        }

        private SortedArrayMap.Draft<RedemptionCount> redemptions() {
            if (redemptions == null) {
                redemptions = draft(before.redemptions());
            }
            return redemptions;
        }

        // ---- events -------------------------------------------------------------------------

        private void event(Input.Event e) {
            List<CompiledRule> rules = program.rulesFor(e.event());
            for (int i = 0; i < rules.size(); i++) {
                rule(rules.get(i), e);
            }
            List<CompiledAchievement> achievementsOfEvent = program.achievementsFor(e.event());
            for (int i = 0; i < achievementsOfEvent.size(); i++) {
                achievement(achievementsOfEvent.get(i), e.context());
            }
        }

        private void rule(CompiledRule rule, Input.Event e) {
            String key = rule.key();
            if (rule.when().isPresent()) {
                Condition.Evaluation result = rule.when().get().evaluate(this);
                if (result instanceof Condition.Evaluation.Error err) {
                    effects.add(Effect.skipped(Effect.RULE_SKIPPED, key, CONDITION_ERROR, err.message()));
                    return;
                }
                if (!((Condition.Evaluation.Holds) result).value()) {
                    effects.add(Effect.skipped(Effect.RULE_SKIPPED, key, CONDITION_FALSE, null));
                    return;
                }
            }
            Optional<ProgramDefinition.Limit> limit = rule.definition().limit();
            long used = limit.isPresent() ? used(key, limit.get()) : 0;
            if (limit.isPresent() && used >= limit.get().count()) {
                effects.add(Effect.skipped(Effect.RULE_SKIPPED, key, LIMIT_REACHED,
                        "limit " + limit.get().count() + " per " + limit.get().per().wire()
                                + (used == LimitWindows.BEYOND_HORIZON ? BEYOND_HORIZON_DETAIL : "")));
                return;
            }
            boolean did = false;
            String failure = null;
            if (rule.reversePath().isPresent()) {
                Optional<String> skipped = reverse(key, rule.reversePath().get(), e);
                did = skipped.isEmpty();
                failure = skipped.orElse(null);
            }
            List<CompiledAward> awards = rule.awards();
            for (int i = 0; i < awards.size(); i++) {
                Optional<String> skipped = award(key, awards.get(i), e.context());
                did |= skipped.isEmpty();
                if (failure == null) {
                    failure = skipped.orElse(null);
                }
            }
            if (!rule.definition().unlock().isEmpty()) {
                unlockPerks(rule.definition().unlock());
                did = true;
            }
            boolean doesNothing = rule.awards().isEmpty() && rule.reversePath().isEmpty()
                    && rule.definition().unlock().isEmpty();
            if (did || doesNothing) {
                if (limit.isPresent()) {
                    count(key, limit.get());
                }
                effects.add(Effect.of(Effect.RULE_APPLIED, key));
            } else {
                effects.add(Effect.skipped(Effect.RULE_SKIPPED, key, failure == null ? NOTHING_AWARDED : failure,
                        "no award could be made"));
            }
        }

        // ---- condition facts: the input, and the profile as it was before this input ---------

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

        /** Evaluates and books one award; returns the skip reason when it could not be made. */
        private Optional<String> award(String key, CompiledAward award, ObjectNode context) {
            FormulaResult result = award.amount().evaluate(context);
            if (result instanceof FormulaResult.Failed failed) {
                effects.add(Effect.make(Effect.AWARD_SKIPPED, key, failed.reason(), award.wallet(), null,
                        failed.message()));
                return Optional.of(failed.reason());
            }
            long amount = ((FormulaResult.Value) result).value();
            if (amount >= 0) {
                return credit(key, award.wallet(), amount);
            }
            debit(key, award.wallet(), -amount, Effect.DEBIT_SHORTFALL);
            return Optional.empty();
        }

        private Optional<String> credit(String key, String wallet, long amount) {
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
        private long debit(String key, String wallet, long amount, String shortfallType) {
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

        /** Takes back the credits of an earlier input; returns the skip reason when nothing was reversed. */
        private Optional<String> reverse(String key, List<String> path, Input.Event e) {
            JsonNode node = e.context();
            for (String segment : path) {
                node = node == null ? null : node.get(segment);
            }
            if (node == null || !(node.isTextual() || node.isIntegralNumber()) || node.asText().isEmpty()) {
                effects.add(Effect.skipped(Effect.REVERSE_SKIPPED, key, "missing_value",
                        "context." + String.join(".", path) + " holds no transaction_id"));
                return Optional.of("missing_value");
            }
            String target = node.asText();
            Optional<PriorDecision> prior = target.equals(e.txId()) ? Optional.empty()
                    : Optional.ofNullable(reversed.get(target)).or(() -> lookup.find(target));
            if (prior.isEmpty()) {
                effects.add(Effect.skipped(Effect.REVERSE_SKIPPED, key, UNKNOWN_TRANSACTION,
                        "no earlier input " + target));
                return Optional.of(UNKNOWN_TRANSACTION);
            }
            if (prior.get().reversed()) {
                effects.add(Effect.skipped(Effect.REVERSE_SKIPPED, key, ALREADY_REVERSED,
                        target + " was already reversed"));
                return Optional.of(ALREADY_REVERSED);
            }
            for (WalletAmount credit : prior.get().delta()) {
                if (credit.amount() <= 0) {
                    continue; // only credits are taken back; debits are not refunded
                }
                debit(key, credit.wallet(), credit.amount(), Effect.REVERSE_SHORTFALL);
                long total = earned().getOrDefault(credit.wallet(), 0L);
                earned().put(credit.wallet(), total - Math.min(total, credit.amount()));
            }
            if (reversed.isEmpty()) {
                reversed = new LinkedHashMap<>();
            }
            reversed.put(target, prior.get().markReversed());
            effects.add(Effect.make(Effect.REVERSED, key, null, null, null, "reversed " + target));
            return Optional.empty();
        }

        /** This input's window's count; {@link LimitWindows#BEYOND_HORIZON} past the kept windows. */
        private long used(String key, ProgramDefinition.Limit limit) {
            LimitWindows windows = limits != null ? limits.get(key) : before.limits().get(key);
            return windows == null ? 0 : windows.used(limit.per(), limit.per().startSecond(at));
        }

        /** Counts one use in the window of this input (by event time; a late input in its own window). */
        private void count(String key, ProgramDefinition.Limit limit) {
            LimitWindows windows = limits().getOrDefault(key, LimitWindows.NONE);
            limits().put(key, windows.plusOne(limit.per(), limit.per().startSecond(at)));
        }

        private void unlockPerks(List<String> keys) {
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

        // ---- achievements -------------------------------------------------------------------

        private void achievement(CompiledAchievement a, ObjectNode context) {
            String key = a.key();
            AchievementProgress p = achievements().getOrDefault(key, AchievementProgress.NONE);
            int day = (int) Period.utcEpochDay(at);
            int streak = p.streakDays();
            Optional<Integer> lastDay = p.lastDay();
            if (lastDay.isEmpty() || day > lastDay.get() + 1) {
                streak = 1; // first day, or a missing day broke the run
                lastDay = Optional.of(day);
            } else if (day == lastDay.get() + 1) {
                streak = streak + 1;
                lastDay = Optional.of(day);
            } // same day, or a late input of an earlier day: the run does not move
            long count = p.count() + 1;
            ProgramDefinition.Achievement def = a.definition();
            boolean reached = def.streakDays().isPresent() ? streak >= def.streakDays().get()
                    : count >= def.count().orElse(Long.MAX_VALUE);
            Optional<Instant> unlockedAt = p.unlockedAt();
            if (reached && unlockedAt.isEmpty()) {
                unlockedAt = Optional.of(at);
                unlock(new Unlock(Unlock.Type.ACHIEVEMENT, key, def.name()));
                effects.add(Effect.of(Effect.ACHIEVEMENT_UNLOCKED, key));
                for (CompiledAward award : a.awards()) {
                    award(key, award, context);
                }
                unlockPerks(def.unlock());
            }
            achievements().put(key, new AchievementProgress(count, streak, lastDay, unlockedAt));
        }

        // ---- identify -----------------------------------------------------------------------

        /** Top-level keys replace; a JSON null removes the key. Copy: the state's traits are shared. */
        private void identify(Input.Identify i) {
            ObjectNode merged = traits.deepCopy();
            Iterator<Map.Entry<String, JsonNode>> fields = i.traits().fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getValue().isNull()) {
                    merged.remove(f.getKey());
                } else {
                    merged.set(f.getKey(), f.getValue().deepCopy());
                }
            }
            traits = merged;
            effects.add(Effect.make(Effect.TRAITS_MERGED, null, null, null, null, null));
        }

        // ---- redemptions --------------------------------------------------------------------

        /** Redeems or returns the rejection reason (checked in this order). */
        private Optional<String> redeem(Input.Redemption r) {
            Optional<ProgramDefinition.Reward> found = program.reward(r.reward());
            if (found.isEmpty()) {
                return Optional.of(UNKNOWN_REWARD);
            }
            ProgramDefinition.Reward reward = found.get();
            if (reward.minLevel().isPresent() && currentLevel() < reward.minLevel().get()) {
                return Optional.of(LEVEL_REQUIRED);
            }
            String limitKey = ProfileState.REWARD_LIMIT_PREFIX + reward.key();
            if (reward.limit().isPresent() && used(limitKey, reward.limit().get()) >= reward.limit().get().count()) {
                return Optional.of(LIMIT_REACHED);
            }
            if (wallets().getOrDefault(reward.cost().wallet(), 0L) < reward.cost().amount()) {
                return Optional.of(INSUFFICIENT_BALANCE);
            }
            debit(reward.key(), reward.cost().wallet(), reward.cost().amount(), Effect.DEBIT_SHORTFALL);
            if (reward.limit().isPresent()) {
                count(limitKey, reward.limit().get());
            }
            RedemptionCount previous = redemptions().get(reward.key());
            redemptions().put(reward.key(), new RedemptionCount(previous == null ? 1 : previous.count() + 1, at));
            unlock(new Unlock(Unlock.Type.REWARD, reward.key(), reward.name()));
            effects.add(Effect.make(Effect.REWARD_REDEEMED, reward.key(), null, reward.cost().wallet(),
                    reward.cost().amount(), null));
            unlockPerks(reward.unlock());
            return Optional.empty();
        }

        /** The level the profile holds now under this program (the stored one may predate it). */
        private int currentLevel() {
            return program.levels()
                    .map(l -> Math.max(level, Levels.reached(l, Levels.basisValue(l, before)).level()))
                    .orElse(level);
        }

        // ---- levels -------------------------------------------------------------------------

        private void levels() {
            if (program.levels().isEmpty()) {
                return;
            }
            ProgramDefinition.Levels levels = program.levels().get();
            long value = levels.basis() == ProgramDefinition.Basis.EARNED
                    ? earned().getOrDefault(levels.wallet(), 0L)
                    : wallets().getOrDefault(levels.wallet(), 0L);
            int old = level;
            // the level follows its basis; earned only drops when a reversal takes credits back
            int next = Levels.reached(levels, value).level();
            int base = levels.thresholds().get(0).level();
            leveledUp = next > Math.max(old, base);
            if (next != old) {
                effects.add(Effect.make(Effect.LEVEL_CHANGED, nameOf(levels, next), null, levels.wallet(),
                        (long) next, "level " + old + " -> " + next));
            }
            level = next;
            for (Threshold t : levels.thresholds()) {
                if (t.level() <= next) {
                    unlockPerks(t.perks());
                }
            }
        }

        private static String nameOf(ProgramDefinition.Levels levels, int level) {
            return levels.thresholds().stream().filter(t -> t.level() == level).map(Threshold::name).findFirst()
                    .orElse(Integer.toString(level));
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
    }

    /** A working copy of one of the state's maps (always SortedArrayMaps: ProfileState makes them so). */
    private static <V> SortedArrayMap.Draft<V> draft(SortedMap<String, V> map) {
        return new SortedArrayMap.Draft<>(SortedArrayMap.copyOf(map));
    }

    /** The changed map, or the state's own when the input never made a working copy. */
    private static <V> SortedMap<String, V> result(SortedArrayMap.Draft<V> draft, SortedMap<String, V> unchanged) {
        return draft == null ? unchanged : draft.result();
    }
}
