package io.perkamo.core.program;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.perkamo.core.cel.Condition;
import io.perkamo.core.formula.Formula;
import io.perkamo.core.program.ProgramDefinition.Achievement;
import io.perkamo.core.program.ProgramDefinition.Amount;
import io.perkamo.core.program.ProgramDefinition.Award;
import io.perkamo.core.program.ProgramDefinition.Levels;
import io.perkamo.core.program.ProgramDefinition.Reward;
import io.perkamo.core.program.ProgramDefinition.Rule;

/**
 * One program version ready to run: conditions and formulas compiled once, rules indexed by
 * event. Immutable and safe to share between threads.
 */
public final class CompiledProgram {
    /** A Space with no program yet: version 0, nothing to award, inputs still recorded. */
    public static final CompiledProgram EMPTY = of(ProgramDefinition.EMPTY, 0, Instant.EPOCH);

    private final ProgramDefinition definition;
    private final long version;
    private final Instant effectiveAt;
    private final List<String> walletKeys;
    private final Map<String, Integer> walletIndex;
    private final Map<String, List<CompiledRule>> rulesByEvent;
    private final Map<String, List<CompiledAchievement>> achievementsByEvent;
    private final Map<String, Reward> rewards;
    private final Map<String, String> perkNames;
    private final Map<String, String> achievementNames;

    private CompiledProgram(ProgramDefinition definition, long version, Instant effectiveAt) {
        this.definition = definition;
        this.version = version;
        this.effectiveAt = Objects.requireNonNull(effectiveAt, "effectiveAt");
        this.walletKeys = definition.wallets().stream().map(ProgramDefinition.Wallet::key).toList();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < walletKeys.size(); i++) {
            index.putIfAbsent(walletKeys.get(i), i);
        }
        this.walletIndex = Map.copyOf(index);
        Map<String, List<CompiledRule>> rules = new LinkedHashMap<>();
        for (Rule r : definition.rules()) {
            rules.computeIfAbsent(r.event(), e -> new ArrayList<>()).add(compileRule(r));
        }
        this.rulesByEvent = freeze(rules);
        Map<String, List<CompiledAchievement>> achievements = new LinkedHashMap<>();
        for (Achievement a : definition.achievements()) {
            achievements.computeIfAbsent(a.event(), e -> new ArrayList<>())
                    .add(new CompiledAchievement(a, awards(a.award())));
        }
        this.achievementsByEvent = freeze(achievements);
        Map<String, Reward> rewardMap = new LinkedHashMap<>();
        definition.rewards().forEach(r -> rewardMap.put(r.key(), r));
        this.rewards = Map.copyOf(rewardMap);
        Map<String, String> perks = new LinkedHashMap<>();
        definition.perks().forEach(p -> perks.put(p.key(), p.name()));
        this.perkNames = Map.copyOf(perks);
        Map<String, String> names = new LinkedHashMap<>();
        definition.achievements().forEach(a -> names.put(a.key(), a.name()));
        this.achievementNames = Map.copyOf(names);
    }

    static CompiledProgram of(ProgramDefinition definition, long version, Instant effectiveAt) {
        return new CompiledProgram(definition, version, effectiveAt);
    }

    public long version() {
        return version;
    }

    public Instant effectiveAt() {
        return effectiveAt;
    }

    public ProgramDefinition definition() {
        return definition;
    }

    /** Wallet keys in program order (the order of deltas and wallet states). */
    public List<String> walletKeys() {
        return walletKeys;
    }

    public boolean hasWallet(String key) {
        return walletIndex.containsKey(key);
    }

    /** The wallet's position in {@link #walletKeys()}, or -1 when the program has no such wallet. */
    public int walletIndex(String key) {
        Integer i = walletIndex.get(key);
        return i == null ? -1 : i;
    }

    /** Rules for an event, in program order. */
    public List<CompiledRule> rulesFor(String event) {
        return rulesByEvent.getOrDefault(event, List.of());
    }

    public List<CompiledAchievement> achievementsFor(String event) {
        return achievementsByEvent.getOrDefault(event, List.of());
    }

    public Optional<Reward> reward(String key) {
        return Optional.ofNullable(rewards.get(key));
    }

    public Optional<Levels> levels() {
        return definition.levels();
    }

    public Optional<String> perkName(String key) {
        return Optional.ofNullable(perkNames.get(key));
    }

    public Optional<String> achievementName(String key) {
        return Optional.ofNullable(achievementNames.get(key));
    }

    /** A rule with its condition and formulas compiled; reversePath is the context path of the reversed id. */
    public record CompiledRule(Rule definition, Optional<Condition> when, List<CompiledAward> awards,
                               Optional<List<String>> reversePath) {
        public String key() {
            return definition.key();
        }
    }

    public record CompiledAward(String wallet, Formula amount) {
    }

    public record CompiledAchievement(Achievement definition, List<CompiledAward> awards) {
        public String key() {
            return definition.key();
        }
    }

    private static CompiledRule compileRule(Rule r) {
        Optional<Condition> when = r.when().map(source -> {
            if (Condition.compile(source) instanceof Condition.Compilation.Compiled c) {
                return c.condition();
            }
            throw new IllegalArgumentException("rule " + r.key() + ": condition does not compile");
        });
        Optional<List<String>> reverse = r.reverse().map(text -> {
            var m = ProgramReader.REVERSE.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("rule " + r.key() + ": bad reverse " + text);
            }
            return List.of(m.group(1).split("\\."));
        });
        return new CompiledRule(r, when, awards(r.award()), reverse);
    }

    private static List<CompiledAward> awards(List<Award> awards) {
        return awards.stream().map(a -> new CompiledAward(a.wallet(), a.amount() instanceof Amount.Fixed f
                ? Formula.constant(f.value())
                : Formula.parse(((Amount.Expression) a.amount()).formula()))).toList();
    }

    private static <T> Map<String, List<T>> freeze(Map<String, List<T>> map) {
        Map<String, List<T>> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Map.copyOf(out);
    }

    @Override
    public String toString() {
        return "CompiledProgram[version=" + version + ", effectiveAt=" + effectiveAt + "]";
    }
}
