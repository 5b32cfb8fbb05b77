package io.perkamo.core.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.schemas.input.Input;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of earns, burns, redemptions, reversals, identifies, retries, conflicting
 * retries and program changes, folded by the Engine and by a small reference model written
 * here from the SPEC (it shares nothing with the Engine but the program parameters).
 */
class FoldPropertiesTest {
    private static final Instant START = Instant.parse("2024-03-30T20:00:00Z");

    /** The parameters that define one program version; the model reads these, the Engine the YAML. */
    record Version(long version, long effectiveHours, long mult, long fixedB, Optional<Long> threshold,
                   Optional<Integer> limitPerDay, long cost) {
        Instant effectiveAt() {
            return START.plus(Duration.ofHours(effectiveHours));
        }

        String yaml() {
            return """
                    wallets: [{key: a, name: A}, {key: b, name: B}]
                    rules:
                      - key: earn
                        event: e.earn
                        %s
                        award: [{wallet: a, amount: "{{n}} * %d"}, {wallet: b, amount: %d}]
                        %s
                      - {key: burn, event: e.burn, award: [{wallet: a, amount: "-{{n}}"}]}
                      - {key: undo, event: e.undo, reverse: "{{ref}}"}
                      - {key: bonus, event: e.bonus, award: [{wallet: a, amount: "{{n}}"}, {wallet: b, amount: 1}]}
                    rewards:
                      - {key: r, name: R, cost: {wallet: a, amount: %d}}
                    """.formatted(threshold.map(t -> "when: \"context.n > " + t + "\"").orElse(""), mult, fixedB,
                    limitPerDay.map(l -> "limit: {count: " + l + ", per: day}").orElse(""), cost);
        }
    }

    /**
     * kind: 0 earn, 1 late earn (dated up to 4 days before the others, or 40 more for a pick of 900 or
     * more: a back-dated input), 2 burn,
     * 3 redeem, 4 undo, 5 identify, 6 retry, 7 conflicting retry.
     */
    record Step(int kind, long n, long hours, int pick) {
    }

    record Scenario(List<Version> versions, List<Step> steps) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Version> version = Combinators.combine(
                Arbitraries.longs().between(-24, 120),
                Arbitraries.longs().between(-3, 5),
                Arbitraries.longs().between(0, 50),
                Arbitraries.longs().between(-10, 300).optional(0.5),
                Arbitraries.integers().between(1, 4).optional(0.5),
                Arbitraries.longs().between(0, 400))
                .as((eff, mult, fixed, thr, lim, cost) -> new Version(0, eff, mult, fixed, thr, lim, cost));
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.longs().between(-50, 500),
                Arbitraries.longs().between(0, 14),
                Arbitraries.integers().between(0, 1000))
                .as(Step::new);
        return Combinators.combine(version.list().ofMinSize(0).ofMaxSize(3), step.list().ofMaxSize(40))
                .as((vs, steps) -> {
                    List<Version> numbered = new ArrayList<>();
                    for (int i = 0; i < vs.size(); i++) {
                        Version v = vs.get(i);
                        numbered.add(new Version(i + 1, v.effectiveHours(), v.mult(), v.fixedB(), v.threshold(),
                                v.limitPerDay(), v.cost()));
                    }
                    return new Scenario(numbered, steps);
                });
    }

    // ---- turning a scenario into inputs ------------------------------------------------------

    /** A new input: its payload text identifies it for the model's dedup. */
    record Sent(Input input, String payload) {
    }

    static List<Sent> inputs(Scenario s) {
        List<Sent> out = new ArrayList<>();
        List<Sent> withTx = new ArrayList<>();
        Instant t = START;
        int next = 0;
        for (Step step : s.steps()) {
            t = t.plus(Duration.ofHours(step.hours()));
            Sent sent;
            switch (step.kind()) {
                case 0 -> sent = event("tx" + next++, "e.earn", ctx("n", step.n()), t);
                case 1 -> sent = event("tx" + next++, "e.earn", ctx("n", step.n()),
                        t.minus(Duration.ofHours(step.pick() % 96 + (step.pick() >= 900 ? 40 * 24 : 0))));
                case 2 -> sent = event("tx" + next++, "e.burn", ctx("n", step.n()), t);
                case 3 -> {
                    String tx = "tx" + next++;
                    sent = new Sent(new Input.Redemption("u", tx, "r", ctx(), t), "redeem|r");
                }
                case 4 -> {
                    String ref = withTx.isEmpty() || step.pick() % 5 == 0 ? "unknown" + step.pick()
                            : withTx.get(step.pick() % withTx.size()).input().transactionId().orElseThrow();
                    ObjectNode c = ctx();
                    c.put("ref", ref);
                    sent = new Sent(new Input.Event("u", "tx" + next++, "e.undo", c, t), "e.undo|" + ref);
                }
                case 5 -> sent = new Sent(new Input.Identify("u", Optional.empty(), ctx("plan", step.n()), t), "identify");
                default -> {
                    if (withTx.isEmpty()) {
                        continue;
                    }
                    Sent original = withTx.get(step.pick() % withTx.size());
                    // a retry keeps the payload and re-stamps occurred_at; a conflict changes n
                    sent = step.kind() == 6 ? restamp(original, t) : conflicting(original, t);
                }
            }
            out.add(sent);
            if (sent.input().transactionId().isPresent()) {
                withTx.add(sent);
            }
        }
        return out;
    }

    private static Sent event(String tx, String event, ObjectNode context, Instant t) {
        return new Sent(new Input.Event("u", tx, event, context, t), event + "|" + context.get("n").asLong());
    }

    private static Sent restamp(Sent s, Instant t) {
        Input in = s.input();
        if (in instanceof Input.Event e) {
            return new Sent(new Input.Event(e.userId(), e.txId(), e.event(), e.context().deepCopy(), t), s.payload());
        }
        Input.Redemption r = (Input.Redemption) in;
        return new Sent(new Input.Redemption(r.userId(), r.txId(), r.reward(), r.context(), t), s.payload());
    }

    private static Sent conflicting(Sent s, Instant t) {
        if (s.input() instanceof Input.Event e) {
            ObjectNode c = e.context().deepCopy();
            c.put("n", c.path("n").asLong() + 1);
            c.put("changed", true);
            return new Sent(new Input.Event(e.userId(), e.txId(), e.event(), c, t), s.payload() + "|changed");
        }
        Input.Redemption r = (Input.Redemption) s.input();
        return new Sent(new Input.Redemption(r.userId(), r.txId(), "other", r.context(), t), "redeem|other");
    }

    private static ObjectNode ctx() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static ObjectNode ctx(String key, long value) {
        return ctx().put(key, value);
    }

    // ---- the reference model -----------------------------------------------------------------

    /** What the model remembers per transaction_id. */
    static final class Recorded {
        final String payload;
        final Map<String, Long> delta;
        boolean reversed;

        Recorded(String payload, Map<String, Long> delta) {
            this.payload = payload;
            this.delta = delta;
        }
    }

    static final class Model {
        /** Limit windows remembered per rule (SPEC's bound, restated here rather than read from the Engine). */
        static final int KEPT = 32;
        final List<Version> versions;
        final Map<String, Long> balance = new HashMap<>();
        final Map<String, Long> earned = new HashMap<>();
        final Map<String, Recorded> seen = new HashMap<>();
        long applied;
        /** Applications of the earn rule per UTC epoch day: the KEPT latest days with any. */
        final TreeMap<Long, Long> limitDays = new TreeMap<>();
        int duplicates;
        int conflicts;

        Model(List<Version> versions) {
            this.versions = versions;
        }

        Optional<Version> inForce(Instant t) {
            Version best = null;
            for (Version v : versions) {
                if (!v.effectiveAt().isAfter(t) && (best == null || v.effectiveAt().isAfter(best.effectiveAt())
                        || (v.effectiveAt().equals(best.effectiveAt()) && v.version() > best.version()))) {
                    best = v;
                }
            }
            return Optional.ofNullable(best);
        }

        void apply(Sent s) {
            Input in = s.input();
            Optional<String> tx = in.transactionId();
            if (tx.isPresent() && seen.containsKey(tx.get())) {
                if (seen.get(tx.get()).payload.equals(s.payload())) {
                    duplicates++;
                } else {
                    conflicts++;
                }
                return;
            }
            Map<String, Long> delta = new HashMap<>();
            Optional<Version> v = inForce(in.occurredAt());
            boolean rejected = false;
            if (in instanceof Input.Event e && v.isPresent()) {
                long n = e.context().path("n").asLong();
                switch (e.event()) {
                    case "e.earn" -> earn(v.get(), n, e.occurredAt(), delta);
                    case "e.burn" -> change("a", -n, delta);
                    default -> undo(e.context().get("ref").asText(), delta);
                }
            } else if (in instanceof Input.Redemption r) {
                rejected = v.isEmpty() || !r.reward().equals("r") || balance.getOrDefault("a", 0L) < v.get().cost();
                if (!rejected) {
                    change("a", -v.get().cost(), delta);
                }
            }
            if (!rejected) {
                applied++;
            }
            tx.ifPresent(id -> seen.put(id, new Recorded(s.payload(), delta)));
        }

        private void earn(Version v, long n, Instant t, Map<String, Long> delta) {
            if (v.threshold().isPresent() && n <= v.threshold().get()) {
                return;
            }
            long day = LocalDate.ofInstant(t, ZoneOffset.UTC).toEpochDay();
            if (v.limitPerDay().isPresent()) {
                // each day has its own count; a day before all KEPT remembered ones is refused
                if (!limitDays.containsKey(day) && limitDays.size() >= KEPT && day < limitDays.firstKey()) {
                    return;
                }
                long used = limitDays.getOrDefault(day, 0L);
                if (used >= v.limitPerDay().get()) {
                    return;
                }
                limitDays.put(day, used + 1);
                if (limitDays.size() > KEPT) {
                    limitDays.pollFirstEntry();
                }
            }
            change("a", n * v.mult(), delta);
            change("b", v.fixedB(), delta);
        }

        private void undo(String ref, Map<String, Long> delta) {
            Recorded r = seen.get(ref);
            if (r == null || r.reversed) {
                return;
            }
            r.reversed = true;
            r.delta.forEach((wallet, amount) -> {
                if (amount > 0) {
                    long take = Math.min(amount, balance.getOrDefault(wallet, 0L));
                    balance.merge(wallet, -take, Long::sum);
                    delta.merge(wallet, -take, Long::sum);
                    earned.put(wallet, Math.max(0, earned.getOrDefault(wallet, 0L) - amount));
                }
            });
        }

        private void change(String wallet, long amount, Map<String, Long> delta) {
            long current = balance.getOrDefault(wallet, 0L);
            long actual = amount >= 0 ? amount : -Math.min(current, -amount);
            balance.put(wallet, current + actual);
            if (amount > 0) {
                earned.merge(wallet, amount, Long::sum);
            }
            delta.merge(wallet, actual, Long::sum);
        }
    }

    // ---- running the engine ------------------------------------------------------------------

    record Run(ProfileState state, List<Outcome> outcomes, Map<String, PriorDecision> store) {
    }

    static ProgramHistory history(List<Version> versions) {
        ProgramHistory h = ProgramHistory.EMPTY;
        for (Version v : versions) {
            ProgramParse parsed = Programs.parse(v.yaml());
            assertThat(parsed).isInstanceOf(ProgramParse.Parsed.class);
            h = h.with(Programs.compile(((ProgramParse.Parsed) parsed).definition(), v.version(), v.effectiveAt()));
        }
        return h;
    }

    static Run run(ProgramHistory history, List<Sent> inputs) {
        return run(history, new Run(ProfileState.empty("u"), List.of(), Map.of()), inputs);
    }

    /** Folds more inputs after an earlier run; the outcomes are those of these inputs only. */
    static Run run(ProgramHistory history, Run earlier, List<Sent> inputs) {
        ProfileState state = earlier.state();
        Map<String, PriorDecision> store = new HashMap<>(earlier.store());
        List<Outcome> outcomes = new ArrayList<>();
        for (Sent s : inputs) {
            Decision d = Engine.decide(history.inForceAt(s.input().occurredAt()), state,
                    tx -> Optional.ofNullable(store.get(tx)), s.input());
            state = d.state();
            store.putAll(d.writes());
            outcomes.add(d.outcome());
        }
        return new Run(state, outcomes, store);
    }

    @Property(tries = 200)
    void engineAgreesWithTheReferenceModel(@ForAll("scenarios") Scenario scenario) {
        // given
        List<Sent> inputs = inputs(scenario);
        Model model = new Model(scenario.versions());
        inputs.forEach(model::apply);
        // when
        Run run = run(history(scenario.versions()), inputs);
        // then
        for (String w : List.of("a", "b")) {
            assertThat(run.state().balance(w)).as("balance %s", w).isEqualTo(model.balance.getOrDefault(w, 0L));
            assertThat(run.state().earnedIn(w)).as("earned %s", w).isEqualTo(model.earned.getOrDefault(w, 0L));
        }
        assertThat(run.state().version()).as("applied inputs").isEqualTo(model.applied);
        assertThat(run.outcomes().stream().filter(Outcome::duplicate).count()).isEqualTo(model.duplicates);
        assertThat(run.outcomes().stream().filter(o -> o.error().isPresent()).count()).isEqualTo(model.conflicts);
    }

    /**
     * Earns only, one limited program version, over a few months with many late inputs: enough
     * days to pass the 32 windows kept, and inputs older than all of them.
     */
    @Provide
    Arbitrary<Scenario> lateEarns() {
        Arbitrary<Version> version = Combinators.combine(Arbitraries.longs().between(1, 3),
                Arbitraries.integers().between(1, 2)).as((mult, limit) -> new Version(1, -24 * 60, mult, 1,
                Optional.empty(), Optional.of(limit), 0));
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 1),
                Arbitraries.longs().between(1, 50), Arbitraries.longs().between(4, 30),
                Arbitraries.integers().between(0, 1000)).as(Step::new);
        return Combinators.combine(version, step.list().ofMinSize(20).ofMaxSize(150))
                .as((v, steps) -> new Scenario(List.of(v), steps));
    }

    @Property(tries = 100)
    void limitsHoldInEveryUtcDayWhateverTheArrivalOrder(@ForAll("lateEarns") Scenario scenario) {
        // given
        List<Sent> inputs = inputs(scenario);
        Model model = new Model(scenario.versions());
        inputs.forEach(model::apply);
        // when
        Run run = run(history(scenario.versions()), inputs);
        // then: the reference model agrees, and no UTC day has more applications than the limit
        assertThat(run.state().balance("a")).isEqualTo(model.balance.getOrDefault("a", 0L));
        assertThat(run.state().balance("b")).isEqualTo(model.balance.getOrDefault("b", 0L));
        Map<Long, Integer> perDay = new HashMap<>();
        for (Outcome o : run.outcomes()) {
            if (o.effects().stream().anyMatch(e -> e.type().equals(Effect.RULE_APPLIED)
                    && e.key().equals(Optional.of("earn")))) {
                perDay.merge(LocalDate.ofInstant(o.occurredAt(), ZoneOffset.UTC).toEpochDay(), 1, Integer::sum);
            }
        }
        int limit = scenario.versions().get(0).limitPerDay().orElseThrow();
        assertThat(perDay.values()).allMatch(n -> n <= limit);
        assertThat(run.state().limits().get("earn").counters()).hasSizeLessThanOrEqualTo(Model.KEPT);
    }

    @Property(tries = 200)
    void balancesNeverGoNegativeAndEachTransactionAppliesAtMostOnce(@ForAll("scenarios") Scenario scenario) {
        List<Sent> inputs = inputs(scenario);
        Run run = run(history(scenario.versions()), inputs);
        Map<String, Integer> appliedPerTx = new HashMap<>();
        for (Outcome o : run.outcomes()) {
            assertThat(o.walletState().values()).allMatch(v -> v >= 0);
            if (o.applied() && o.transactionId().isPresent()) {
                appliedPerTx.merge(o.transactionId().get(), 1, Integer::sum);
            }
            if (o.duplicate() || o.error().isPresent()) {
                assertThat(o.applied()).isFalse();
            }
        }
        assertThat(appliedPerTx.values()).allMatch(count -> count == 1);
        assertThat(run.state().wallets().values()).allMatch(v -> v >= 0);
    }

    @Property(tries = 50)
    void theFoldIsDeterministic(@ForAll("scenarios") Scenario scenario) {
        List<Sent> inputs = inputs(scenario);
        Run first = run(history(scenario.versions()), inputs);
        Run second = run(history(scenario.versions()), inputs);
        assertThat(second.state()).isEqualTo(first.state());
        assertThat(second.outcomes()).isEqualTo(first.outcomes());
        assertThat(second.store()).isEqualTo(first.store());
    }

    @Property(tries = 100)
    void theDeltasOfAllDecisionsAddUpToEveryWalletState(@ForAll("scenarios") Scenario scenario) {
        // given
        List<Sent> inputs = inputs(scenario);
        // when
        Run run = run(history(scenario.versions()), inputs);
        // then: a retry repeats its original delta, so only first decisions are summed
        Map<String, Long> sum = new HashMap<>();
        for (Outcome o : run.outcomes()) {
            if (!o.duplicate()) {
                o.delta().forEach(d -> sum.merge(d.wallet(), d.amount(), Long::sum));
            }
            for (String w : List.of("a", "b")) {
                assertThat(o.walletState().getOrDefault(w, 0L)).as("wallet %s after %s", w, o.transactionId())
                        .isEqualTo(sum.getOrDefault(w, 0L));
            }
        }
        for (String w : List.of("a", "b")) {
            assertThat(run.state().balance(w)).isEqualTo(sum.getOrDefault(w, 0L));
        }
    }

    /** Credits ({@code e.bonus}, always positive) that follow any reversal-free history, and the order to reverse them in. */
    record Tail(List<Long> credits, List<Integer> order) {
    }

    @Provide
    Arbitrary<Tail> tails() {
        return Arbitraries.longs().between(1, 500).list().ofMinSize(1).ofMaxSize(8)
                .flatMap(credits -> Arbitraries.shuffle(java.util.stream.IntStream.range(0, credits.size()).boxed()
                        .toList()).map(order -> new Tail(credits, order)));
    }

    @Property(tries = 60)
    void reversingTheCreditsAfterAReversalFreeHistoryRestoresTheEarlierBalances(
            @ForAll("scenarios") Scenario scenario, @ForAll("tails") Tail tail) {
        // given: a history without reversals (earns, burns, redemptions, retries, conflicts)
        List<Sent> history = new ArrayList<>(inputs(scenario).stream()
                .filter(s -> !(s.input() instanceof Input.Event e && e.event().equals("e.undo"))).toList());
        ProgramHistory programs = history(scenario.versions());
        Run before = run(programs, history);
        Instant t = history.stream().map(s -> s.input().occurredAt()).max(Instant::compareTo).orElse(START);
        // when: credits follow, then each is reversed, in any order
        List<Sent> tailInputs = new ArrayList<>();
        for (int i = 0; i < tail.credits().size(); i++) {
            t = t.plus(Duration.ofMinutes(1));
            tailInputs.add(new Sent(new Input.Event("u", "bonus" + i, "e.bonus", ctx("n", tail.credits().get(i)), t), "bonus"));
        }
        for (int i : tail.order()) {
            t = t.plus(Duration.ofMinutes(1));
            tailInputs.add(new Sent(new Input.Event("u", "undo-bonus" + i, "e.undo", ctx().put("ref", "bonus" + i), t),
                    "undo"));
        }
        Run after = run(programs, before, tailInputs);
        // then: balances and earned totals are back, and each reversal took back exactly its credit
        for (String w : List.of("a", "b")) {
            assertThat(after.state().balance(w)).as("balance %s", w).isEqualTo(before.state().balance(w));
            assertThat(after.state().earnedIn(w)).as("earned %s", w).isEqualTo(before.state().earnedIn(w));
        }
        List<Outcome> outcomes = after.outcomes(); // the credits, then the reversals
        int firstUndo = tail.credits().size();
        for (int k = 0; k < tail.order().size(); k++) {
            Outcome credit = outcomes.get(tail.order().get(k));
            Outcome undo = outcomes.get(firstUndo + k);
            assertThat(undo.delta()).containsExactlyElementsOf(credit.delta().stream()
                    .map(d -> new WalletAmount(d.wallet(), -d.amount())).toList());
        }
    }
}
