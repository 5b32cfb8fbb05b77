package io.perkamo.core.fold;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
import io.perkamo.core.fold.ProfileState.LimitCounter;
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
        Map<String, Long> out = new LinkedHashMap<>();
        for (String w : program.walletKeys()) {
            out.put(w, state.balance(w));
        }
        state.wallets().forEach(out::putIfAbsent);
        return out;
    }

    /** One input's evaluation over a mutable working copy of the state; conditions read it as their facts. */
    private static final class Fold implements Condition.Facts {
        private final CompiledProgram program;
        private final ProfileState before;
        private final DecisionLookup lookup;
        private final Input input;
        private final Instant at;

        // copy-on-write views of the state's maps: an input copies only the maps it changes
        private final Cow<Long> wallets;
        private final Cow<Long> earned;
        private final Cow<Instant> perks;
        private final Cow<LimitCounter> limits;
        private final Cow<AchievementProgress> achievements;
        private final Cow<RedemptionCount> redemptions;
        private ObjectNode traits;
        private int level;

        private final Map<String, Long> delta = new LinkedHashMap<>();
        private final List<Unlock> unlocked = new ArrayList<>();
        private final List<Effect> effects = new ArrayList<>();
        private final Map<String, PriorDecision> writes = new LinkedHashMap<>();
        private Condition.Bindings bindings;
        private boolean leveledUp;

        Fold(CompiledProgram program, ProfileState state, DecisionLookup lookup, Input input) {
            this.program = program;
            this.before = state;
            this.lookup = lookup;
            this.input = input;
            this.at = input.occurredAt();
            this.wallets = new Cow<>(state.wallets());
            this.earned = new Cow<>(state.earned());
            this.perks = new Cow<>(state.perks());
            this.limits = new Cow<>(state.limits());
            this.achievements = new Cow<>(state.achievements());
            this.redemptions = new Cow<>(state.redemptions());
            this.traits = state.traits();
            this.level = state.level();
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
            ProfileState after = new ProfileState(before.userId(), before.version() + 1, program.version(),
                    wallets.map(), earned.map(), level, perks.map(), limits.map(), traits, achievements.map(),
                    redemptions.map(),
                    Optional.of(before.createdAt().orElse(at)), Optional.of(at));
            List<WalletAmount> deltaList = deltaList();
            Outcome outcome = outcome(input, program.version(), status, reason, true, false, deltaList, leveledUp,
                    unlocked, program, after, effects, Optional.empty());
            fingerprint.ifPresent(fp -> writes.put(input.transactionId().orElseThrow(),
                    new PriorDecision(fp, at, program.version(), outcome.status(), reason, deltaList,
                            List.copyOf(unlocked), leveledUp, false)));
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

        // ---- events -------------------------------------------------------------------------

        private void event(Input.Event e) {
            for (CompiledRule rule : program.rulesFor(e.event())) {
                rule(rule, e);
            }
            for (CompiledAchievement a : program.achievementsFor(e.event())) {
                achievement(a, e.context());
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
            if (limit.isPresent() && used(key, limit.get()) >= limit.get().count()) {
                effects.add(Effect.skipped(Effect.RULE_SKIPPED, key, LIMIT_REACHED,
                        "limit " + limit.get().count() + " per " + limit.get().per().wire()));
                return;
            }
            boolean did = false;
            String failure = null;
            if (rule.reversePath().isPresent()) {
                Optional<String> skipped = reverse(key, rule.reversePath().get(), e);
                did = skipped.isEmpty();
                failure = skipped.orElse(null);
            }
            for (CompiledAward award : rule.awards()) {
                Optional<String> skipped = award(key, award, e.context());
                did |= skipped.isEmpty();
                if (failure == null) {
                    failure = skipped.orElse(null);
                }
            }
            if (!rule.definition().unlock().isEmpty()) {
                rule.definition().unlock().forEach(this::unlockPerk);
                did = true;
            }
            boolean doesNothing = rule.awards().isEmpty() && rule.reversePath().isEmpty()
                    && rule.definition().unlock().isEmpty();
            if (did || doesNothing) {
                limit.ifPresent(l -> count(key, l));
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
                Map<String, Long> walletView = new LinkedHashMap<>(walletState(program, before));
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
            long balance = wallets.getOrDefault(wallet, 0L);
            long total = earned.getOrDefault(wallet, 0L);
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
            wallets.put(wallet, newBalance);
            earned.put(wallet, newTotal);
            delta.merge(wallet, amount, Long::sum);
            return Optional.empty();
        }

        /** Takes up to {@code amount}; a balance never goes below zero, the shortfall is reported. */
        private long debit(String key, String wallet, long amount, String shortfallType) {
            long balance = wallets.getOrDefault(wallet, 0L);
            long taken = Math.min(balance, amount);
            wallets.put(wallet, balance - taken);
            delta.merge(wallet, -taken, Long::sum);
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
                    : Optional.ofNullable(writes.get(target)).or(() -> lookup.find(target));
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
                long total = earned.getOrDefault(credit.wallet(), 0L);
                earned.put(credit.wallet(), total - Math.min(total, credit.amount()));
            }
            writes.put(target, prior.get().markReversed());
            effects.add(Effect.make(Effect.REVERSED, key, null, null, null, "reversed " + target));
            return Optional.empty();
        }

        private long used(String key, ProgramDefinition.Limit limit) {
            LimitCounter c = limits.get(key);
            if (c == null || c.period() != limit.per()) {
                return 0;
            }
            return c.periodStart().equals(limit.per().start(at)) ? c.count() : 0;
        }

        /**
         * Counts one use in the window of this input. A late input from an earlier window is
         * checked against a fresh count and leaves the current window's counter alone.
         */
        private void count(String key, ProgramDefinition.Limit limit) {
            Instant start = limit.per().start(at);
            LimitCounter c = limits.get(key);
            if (c != null && c.period() == limit.per() && c.periodStart().isAfter(start)) {
                return;
            }
            long used = used(key, limit);
            limits.put(key, new LimitCounter(limit.per(), start, used + 1));
        }

        private void unlockPerk(String perk) {
            if (perks.containsKey(perk)) {
                return;
            }
            perks.put(perk, at);
            String name = program.perkName(perk).orElse(perk);
            unlocked.add(new Unlock(Unlock.Type.PERK, perk, name));
            effects.add(Effect.of(Effect.PERK_UNLOCKED, perk));
        }

        // ---- achievements -------------------------------------------------------------------

        private void achievement(CompiledAchievement a, ObjectNode context) {
            String key = a.key();
            AchievementProgress p = achievements.getOrDefault(key, AchievementProgress.NONE);
            int day = (int) LocalDate.ofInstant(at, ZoneOffset.UTC).toEpochDay();
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
                unlocked.add(new Unlock(Unlock.Type.ACHIEVEMENT, key, def.name()));
                effects.add(Effect.of(Effect.ACHIEVEMENT_UNLOCKED, key));
                for (CompiledAward award : a.awards()) {
                    award(key, award, context);
                }
                def.unlock().forEach(this::unlockPerk);
            }
            achievements.put(key, new AchievementProgress(count, streak, lastDay, unlockedAt));
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
            if (wallets.getOrDefault(reward.cost().wallet(), 0L) < reward.cost().amount()) {
                return Optional.of(INSUFFICIENT_BALANCE);
            }
            debit(reward.key(), reward.cost().wallet(), reward.cost().amount(), Effect.DEBIT_SHORTFALL);
            reward.limit().ifPresent(l -> count(limitKey, l));
            RedemptionCount previous = redemptions.get(reward.key());
            redemptions.put(reward.key(), new RedemptionCount(previous == null ? 1 : previous.count() + 1, at));
            unlocked.add(new Unlock(Unlock.Type.REWARD, reward.key(), reward.name()));
            effects.add(Effect.make(Effect.REWARD_REDEEMED, reward.key(), null, reward.cost().wallet(),
                    reward.cost().amount(), null));
            reward.unlock().forEach(this::unlockPerk);
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
                    ? earned.getOrDefault(levels.wallet(), 0L)
                    : wallets.getOrDefault(levels.wallet(), 0L);
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
                    t.perks().forEach(this::unlockPerk);
                }
            }
        }

        private static String nameOf(ProgramDefinition.Levels levels, int level) {
            return levels.thresholds().stream().filter(t -> t.level() == level).map(Threshold::name).findFirst()
                    .orElse(Integer.toString(level));
        }

        /** Net per wallet, zeros omitted, program wallet order first. */
        private List<WalletAmount> deltaList() {
            List<WalletAmount> out = new ArrayList<>();
            for (String w : program.walletKeys()) {
                long v = delta.getOrDefault(w, 0L);
                if (v != 0) {
                    out.add(new WalletAmount(w, v));
                }
            }
            new TreeMap<>(delta).forEach((w, v) -> {
                if (v != 0 && !program.hasWallet(w)) {
                    out.add(new WalletAmount(w, v));
                }
            });
            return out;
        }
    }

    /**
     * A map of the state, copied on the first write: the state's own maps are immutable, so an
     * input that does not change one passes it on to the new state as it is.
     */
    private static final class Cow<V> {
        private SortedMap<String, V> map;
        private boolean owned;

        Cow(SortedMap<String, V> map) {
            this.map = map;
        }

        V get(String key) {
            return map.get(key);
        }

        V getOrDefault(String key, V fallback) {
            return map.getOrDefault(key, fallback);
        }

        boolean containsKey(String key) {
            return map.containsKey(key);
        }

        void put(String key, V value) {
            if (!owned) {
                map = new TreeMap<>(map);
                owned = true;
            }
            map.put(key, value);
        }

        SortedMap<String, V> map() {
            return map;
        }
    }
}
