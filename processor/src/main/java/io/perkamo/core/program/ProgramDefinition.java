package io.perkamo.core.program;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A program as written by its author (SPEC section 3), already validated. {@link #toJson()} is
 * the canonical wire shape: what {@code program apply} publishes and GET /v1/program returns.
 */
public record ProgramDefinition(List<Wallet> wallets, Optional<Levels> levels, List<Rule> rules, List<Perk> perks,
                                List<Achievement> achievements, List<Reward> rewards) {

    public static final ProgramDefinition EMPTY =
            new ProgramDefinition(List.of(), Optional.empty(), List.of(), List.of(), List.of(), List.of());

    public ProgramDefinition {
        wallets = List.copyOf(wallets);
        rules = List.copyOf(rules);
        perks = List.copyOf(perks);
        achievements = List.copyOf(achievements);
        rewards = List.copyOf(rewards);
    }

    public record Wallet(String key, String name) {
    }

    public enum Basis {
        EARNED, BALANCE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Levels(String wallet, Basis basis, List<Threshold> thresholds) {
        public Levels {
            thresholds = List.copyOf(thresholds);
        }
    }

    public record Threshold(int level, String name, long at, List<String> perks) {
        public Threshold {
            perks = List.copyOf(perks);
        }
    }

    /** An award amount: a fixed int, or a formula text (kept verbatim for the wire shape). */
    public sealed interface Amount {
        record Fixed(long value) implements Amount {
        }

        record Expression(String formula) implements Amount {
        }
    }

    public record Award(String wallet, Amount amount) {
    }

    public record Limit(long count, Period per) {
    }

    public record Rule(String key, String event, Optional<String> label, Optional<String> when, List<Award> award,
                       List<String> unlock, Optional<Limit> limit, Optional<String> reverse) {
        public Rule {
            award = List.copyOf(award);
            unlock = List.copyOf(unlock);
        }

        /** What people see for this rule: its label, else its key. */
        public String displayLabel() {
            return label.orElse(key);
        }
    }

    public record Perk(String key, String name) {
    }

    /** Exactly one of count and streakDays is present. */
    public record Achievement(String key, String name, String event, Optional<Long> count,
                              Optional<Integer> streakDays, List<Award> award, List<String> unlock) {
        public Achievement {
            award = List.copyOf(award);
            unlock = List.copyOf(unlock);
        }
    }

    public record Cost(String wallet, long amount) {
    }

    public record Reward(String key, String name, Cost cost, Optional<Integer> minLevel, Optional<Limit> limit,
                         List<String> unlock) {
        public Reward {
            unlock = List.copyOf(unlock);
        }
    }

    /** The GET /v1/program view: earning rules with event, label and awards. */
    public Blueprint blueprint() {
        return Blueprint.of(this);
    }

    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ArrayNode ws = root.putArray("wallets");
        wallets.forEach(w -> ws.addObject().put("key", w.key()).put("name", w.name()));
        levels.ifPresent(l -> {
            ObjectNode lv = root.putObject("levels");
            lv.put("wallet", l.wallet()).put("basis", l.basis().wire());
            ArrayNode ts = lv.putArray("thresholds");
            for (Threshold t : l.thresholds()) {
                ObjectNode tn = ts.addObject().put("level", t.level()).put("name", t.name()).put("at", t.at());
                putKeys(tn, "perks", t.perks());
            }
        });
        ArrayNode rs = root.putArray("rules");
        for (Rule r : rules) {
            ObjectNode rn = rs.addObject().put("key", r.key()).put("event", r.event());
            r.label().ifPresent(v -> rn.put("label", v));
            r.when().ifPresent(v -> rn.put("when", v));
            putAwards(rn, r.award());
            putKeys(rn, "unlock", r.unlock());
            r.limit().ifPresent(v -> putLimit(rn, v));
            r.reverse().ifPresent(v -> rn.put("reverse", v));
        }
        ArrayNode ps = root.putArray("perks");
        perks.forEach(p -> ps.addObject().put("key", p.key()).put("name", p.name()));
        ArrayNode as = root.putArray("achievements");
        for (Achievement a : achievements) {
            ObjectNode an = as.addObject().put("key", a.key()).put("name", a.name()).put("event", a.event());
            a.count().ifPresent(c -> an.put("count", c));
            a.streakDays().ifPresent(d -> an.putObject("streak").put("days", d));
            putAwards(an, a.award());
            putKeys(an, "unlock", a.unlock());
        }
        ArrayNode rws = root.putArray("rewards");
        for (Reward r : rewards) {
            ObjectNode rn = rws.addObject().put("key", r.key()).put("name", r.name());
            rn.putObject("cost").put("wallet", r.cost().wallet()).put("amount", r.cost().amount());
            r.minLevel().ifPresent(m -> rn.put("min_level", m));
            r.limit().ifPresent(v -> putLimit(rn, v));
            putKeys(rn, "unlock", r.unlock());
        }
        return root;
    }

    static void putAwards(ObjectNode node, List<Award> awards) {
        if (awards.isEmpty()) {
            return;
        }
        ArrayNode an = node.putArray("award");
        for (Award a : awards) {
            ObjectNode n = an.addObject().put("wallet", a.wallet());
            if (a.amount() instanceof Amount.Fixed fixed) {
                n.put("amount", fixed.value());
            } else {
                n.put("amount", ((Amount.Expression) a.amount()).formula());
            }
        }
    }

    private static void putKeys(ObjectNode node, String field, List<String> keys) {
        if (!keys.isEmpty()) {
            ArrayNode arr = node.putArray(field);
            keys.forEach(arr::add);
        }
    }

    private static void putLimit(ObjectNode node, Limit limit) {
        node.putObject("limit").put("count", limit.count()).put("per", limit.per().wire());
    }
}
