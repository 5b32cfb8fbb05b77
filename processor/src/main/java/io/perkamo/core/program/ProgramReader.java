package io.perkamo.core.program;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.core.cel.Condition;
import io.perkamo.core.formula.Formula;
import io.perkamo.core.formula.FormulaSyntaxException;
import io.perkamo.core.program.ProgramDefinition.Achievement;
import io.perkamo.core.program.ProgramDefinition.Amount;
import io.perkamo.core.program.ProgramDefinition.Award;
import io.perkamo.core.program.ProgramDefinition.Basis;
import io.perkamo.core.program.ProgramDefinition.Cost;
import io.perkamo.core.program.ProgramDefinition.Levels;
import io.perkamo.core.program.ProgramDefinition.Limit;
import io.perkamo.core.program.ProgramDefinition.Perk;
import io.perkamo.core.program.ProgramDefinition.Reward;
import io.perkamo.core.program.ProgramDefinition.Rule;
import io.perkamo.core.program.ProgramDefinition.Threshold;
import io.perkamo.core.program.ProgramDefinition.Wallet;

import static io.perkamo.core.program.ProgramProblem.*;

/**
 * Reads a program tree and validates it in one pass, collecting every problem (never stopping
 * at the first). Wallets and perks are read first so that later sections can be checked
 * against them. Unknown fields are ignored.
 */
final class ProgramReader {
    static final Pattern EVENT_KEY = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
    static final Pattern REVERSE = Pattern.compile("^\\{\\{\\s*([A-Za-z0-9_\\-]+(?:\\.[A-Za-z0-9_\\-]+)*)\\s*\\}\\}$");

    private final List<ProgramProblem> problems = new ArrayList<>();
    private final Set<String> walletKeys = new HashSet<>();
    private final Set<String> perkKeys = new HashSet<>();
    private final Set<Integer> levelNumbers = new HashSet<>();

    ProgramParse read(JsonNode root) {
        if (root == null || !root.isObject()) {
            problems.add(new ProgramProblem("", INVALID_TYPE, "a program is an object"));
            return new ProgramParse.Invalid(problems);
        }
        List<Wallet> wallets = list(root, "wallets", "wallets", this::wallet);
        wallets.forEach(w -> walletKeys.add(w.key()));
        duplicates(wallets.stream().map(Wallet::key).toList(), "wallets");
        List<Perk> perks = list(root, "perks", "perks", this::perk);
        perks.forEach(p -> perkKeys.add(p.key()));
        duplicates(perks.stream().map(Perk::key).toList(), "perks");
        Optional<Levels> levels = levels(root.get("levels"));
        List<Rule> rules = list(root, "rules", "rules", this::rule);
        duplicates(rules.stream().map(Rule::key).toList(), "rules");
        List<Achievement> achievements = list(root, "achievements", "achievements", this::achievement);
        duplicates(achievements.stream().map(Achievement::key).toList(), "achievements");
        List<Reward> rewards = list(root, "rewards", "rewards", this::reward);
        duplicates(rewards.stream().map(Reward::key).toList(), "rewards");
        if (!problems.isEmpty()) {
            return new ProgramParse.Invalid(problems);
        }
        return new ProgramParse.Parsed(new ProgramDefinition(wallets, levels, rules, perks, achievements, rewards));
    }

    private Wallet wallet(JsonNode n, String path) {
        return new Wallet(requiredText(n, "key", path), requiredText(n, "name", path));
    }

    private Perk perk(JsonNode n, String path) {
        return new Perk(requiredText(n, "key", path), requiredText(n, "name", path));
    }

    private Optional<Levels> levels(JsonNode n) {
        if (absent(n)) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            problems.add(new ProgramProblem("levels", INVALID_TYPE, "levels is an object"));
            return Optional.empty();
        }
        String wallet = requiredText(n, "wallet", "levels");
        if (!wallet.isEmpty() && !walletKeys.contains(wallet)) {
            problems.add(new ProgramProblem("levels.wallet", UNKNOWN_WALLET, "no wallet '" + wallet + "'"));
        }
        Basis basis = Basis.EARNED;
        Optional<String> basisText = optionalText(n, "basis", "levels");
        if (basisText.isPresent()) {
            switch (basisText.get()) {
                case "earned" -> basis = Basis.EARNED;
                case "balance" -> basis = Basis.BALANCE;
                default -> problems.add(new ProgramProblem("levels.basis", BAD_LEVEL,
                        "basis is 'earned' or 'balance', not '" + basisText.get() + "'"));
            }
        }
        List<Threshold> thresholds = list(n, "thresholds", "levels.thresholds", this::threshold);
        if (thresholds.isEmpty() && problems.stream().noneMatch(p -> p.path().startsWith("levels.thresholds"))) {
            problems.add(new ProgramProblem("levels.thresholds", BAD_LEVEL, "levels need at least one threshold"));
        }
        for (int i = 0; i < thresholds.size(); i++) {
            Threshold t = thresholds.get(i);
            String path = "levels.thresholds[" + i + "]";
            if (i == 0 && t.at() != 0) {
                problems.add(new ProgramProblem(path + ".at", BAD_LEVEL, "the first threshold is at 0"));
            }
            if (i > 0 && t.at() <= thresholds.get(i - 1).at()) {
                problems.add(new ProgramProblem(path + ".at", BAD_LEVEL, "thresholds ascend: at must be above "
                        + thresholds.get(i - 1).at()));
            }
            if (i > 0 && t.level() <= thresholds.get(i - 1).level()) {
                problems.add(new ProgramProblem(path + ".level", BAD_LEVEL, "levels ascend: level must be above "
                        + thresholds.get(i - 1).level()));
            }
            if (t.level() < 1) {
                problems.add(new ProgramProblem(path + ".level", BAD_LEVEL, "levels start at 1"));
            }
            levelNumbers.add(t.level());
        }
        return Optional.of(new Levels(wallet, basis, thresholds));
    }

    private Threshold threshold(JsonNode n, String path) {
        long level = requiredLong(n, "level", path);
        if (level > Integer.MAX_VALUE) {
            problems.add(new ProgramProblem(path + ".level", BAD_LEVEL, "level too large"));
        }
        String name = requiredText(n, "name", path);
        long at = requiredLong(n, "at", path);
        List<String> perks = perkRefs(n, "perks", path);
        return new Threshold((int) level, name, at, perks);
    }

    private Rule rule(JsonNode n, String path) {
        String key = requiredText(n, "key", path);
        String event = eventKey(n, path);
        Optional<String> label = optionalText(n, "label", path);
        Optional<String> when = optionalText(n, "when", path);
        when.ifPresent(w -> cel(w, path + ".when"));
        List<Award> awards = awards(n, path);
        List<String> unlock = perkRefs(n, "unlock", path);
        Optional<Limit> limit = limit(n.get("limit"), path + ".limit");
        Optional<String> reverse = optionalText(n, "reverse", path);
        reverse.ifPresent(r -> {
            if (!REVERSE.matcher(r).matches()) {
                problems.add(new ProgramProblem(path + ".reverse", BAD_REVERSE,
                        "reverse is a reference like \"{{order_transaction_id}}\""));
            }
        });
        return new Rule(key, event, label, when, awards, unlock, limit, reverse);
    }

    private Achievement achievement(JsonNode n, String path) {
        String key = requiredText(n, "key", path);
        String name = requiredText(n, "name", path);
        String event = eventKey(n, path);
        Optional<Long> count = Optional.empty();
        if (!absent(n.get("count"))) {
            long c = requiredLong(n, "count", path);
            if (c < 1) {
                problems.add(new ProgramProblem(path + ".count", BAD_ACHIEVEMENT, "count is at least 1"));
            }
            count = Optional.of(c);
        }
        Optional<Integer> streak = Optional.empty();
        JsonNode s = n.get("streak");
        if (!absent(s)) {
            if (!s.isObject()) {
                problems.add(new ProgramProblem(path + ".streak", INVALID_TYPE, "streak is {days: N}"));
            } else {
                long days = requiredLong(s, "days", path + ".streak");
                if (days < 1 || days > 100_000) {
                    problems.add(new ProgramProblem(path + ".streak.days", BAD_ACHIEVEMENT,
                            "days is between 1 and 100000"));
                }
                streak = Optional.of((int) Math.max(0, Math.min(days, 100_000)));
            }
        }
        if (absent(s) == absent(n.get("count"))) {
            problems.add(new ProgramProblem(path, BAD_ACHIEVEMENT, "an achievement has either count or streak"));
        }
        return new Achievement(key, name, event, count, streak, awards(n, path), perkRefs(n, "unlock", path));
    }

    private Reward reward(JsonNode n, String path) {
        String key = requiredText(n, "key", path);
        String name = requiredText(n, "name", path);
        JsonNode c = n.get("cost");
        Cost cost = new Cost("", 0);
        if (absent(c)) {
            problems.add(new ProgramProblem(path + ".cost", MISSING_FIELD, "cost is required"));
        } else if (!c.isObject()) {
            problems.add(new ProgramProblem(path + ".cost", INVALID_TYPE, "cost is {wallet, amount}"));
        } else {
            String wallet = requiredText(c, "wallet", path + ".cost");
            if (!wallet.isEmpty() && !walletKeys.contains(wallet)) {
                problems.add(new ProgramProblem(path + ".cost.wallet", UNKNOWN_REWARD_WALLET,
                        "no wallet '" + wallet + "'"));
            }
            long amount = requiredLong(c, "amount", path + ".cost");
            if (amount < 0) {
                problems.add(new ProgramProblem(path + ".cost.amount", BAD_COST, "cost is not negative"));
            }
            cost = new Cost(wallet, amount);
        }
        Optional<Integer> minLevel = Optional.empty();
        if (!absent(n.get("min_level"))) {
            long m = requiredLong(n, "min_level", path);
            if (!levelNumbers.contains((int) m) || m != (int) m) {
                problems.add(new ProgramProblem(path + ".min_level", BAD_LEVEL, "no level " + m));
            }
            minLevel = Optional.of((int) m);
        }
        Optional<Limit> limit = limit(n.get("limit"), path + ".limit");
        return new Reward(key, name, cost, minLevel, limit, perkRefs(n, "unlock", path));
    }

    private String eventKey(JsonNode n, String path) {
        String event = requiredText(n, "event", path);
        if (!event.isEmpty() && (!EVENT_KEY.matcher(event).matches() || event.length() > 128)) {
            problems.add(new ProgramProblem(path + ".event", INVALID_EVENT_KEY,
                    "'" + event + "' is not a lowercase namespaced event key like purchase.completed"));
        }
        return event;
    }

    private List<Award> awards(JsonNode n, String path) {
        return list(n, "award", path + ".award", (a, p) -> {
            String wallet = requiredText(a, "wallet", p);
            if (!wallet.isEmpty() && !walletKeys.contains(wallet)) {
                problems.add(new ProgramProblem(p + ".wallet", UNKNOWN_WALLET, "no wallet '" + wallet + "'"));
            }
            return new Award(wallet, amount(a.get("amount"), p + ".amount"));
        });
    }

    private Amount amount(JsonNode n, String path) {
        if (absent(n)) {
            problems.add(new ProgramProblem(path, MISSING_FIELD, "amount is required"));
            return new Amount.Fixed(0);
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return new Amount.Fixed(n.longValue());
        }
        if (n.isTextual()) {
            try {
                Formula.parse(n.textValue());
            } catch (FormulaSyntaxException e) {
                problems.add(new ProgramProblem(path, BAD_FORMULA, e.getMessage()));
            }
            return new Amount.Expression(n.textValue());
        }
        problems.add(new ProgramProblem(path, BAD_FORMULA, "amount is an integer or a formula string"));
        return new Amount.Fixed(0);
    }

    private void cel(String source, String path) {
        if (Condition.compile(source) instanceof Condition.Compilation.Failed failed) {
            problems.add(new ProgramProblem(path, BAD_CEL, failed.message()));
        }
    }

    private Optional<Limit> limit(JsonNode n, String path) {
        if (absent(n)) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            problems.add(new ProgramProblem(path, BAD_LIMIT, "limit is {count, per}"));
            return Optional.empty();
        }
        JsonNode c = n.get("count");
        long count = 0;
        if (c == null || !c.isIntegralNumber() || !c.canConvertToLong() || c.longValue() < 1) {
            problems.add(new ProgramProblem(path + ".count", BAD_LIMIT, "count is a positive integer"));
        } else {
            count = c.longValue();
        }
        JsonNode per = n.get("per");
        Optional<Period> period = per != null && per.isTextual() ? Period.fromWire(per.textValue()) : Optional.empty();
        if (period.isEmpty()) {
            problems.add(new ProgramProblem(path + ".per", BAD_LIMIT, "per is day, week, month or lifetime"));
        }
        return Optional.of(new Limit(count, period.orElse(Period.LIFETIME)));
    }

    private List<String> perkRefs(JsonNode n, String field, String path) {
        return list(n, field, path + "." + field, true, (p, itemPath) -> {
            if (!perkKeys.contains(p.textValue())) {
                problems.add(new ProgramProblem(itemPath, UNKNOWN_PERK, "no perk '" + p.textValue() + "'"));
            }
            return p.textValue();
        });
    }

    private <T> List<T> list(JsonNode parent, String field, String path, BiFunction<JsonNode, String, T> item) {
        return list(parent, field, path, false, item);
    }

    private <T> List<T> list(JsonNode parent, String field, String path, boolean textItems,
                             BiFunction<JsonNode, String, T> item) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return List.of();
        }
        if (!n.isArray()) {
            problems.add(new ProgramProblem(path, INVALID_TYPE, field + " is a list"));
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String itemPath = path + "[" + i + "]";
            JsonNode element = n.get(i);
            if (element.isTextual() != textItems) {
                problems.add(new ProgramProblem(itemPath, INVALID_TYPE, textItems ? "expected a key" : "expected an object"));
                continue;
            }
            out.add(item.apply(element, itemPath));
        }
        return out;
    }

    private void duplicates(List<String> keys, String path) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            if (!k.isEmpty() && !seen.add(k)) {
                problems.add(new ProgramProblem(path + "[" + i + "].key", DUPLICATE_KEY, "duplicate key '" + k + "'"));
            }
        }
    }

    private String requiredText(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (absent(v) || (v.isTextual() && v.textValue().isBlank())) {
            problems.add(new ProgramProblem(path + "." + field, MISSING_FIELD, field + " is required"));
            return "";
        }
        if (!v.isTextual()) {
            if (v.isValueNode()) {
                return v.asText(); // YAML "name: 2024" is a number; a name is still a name
            }
            problems.add(new ProgramProblem(path + "." + field, INVALID_TYPE, field + " is a string"));
            return "";
        }
        return v.textValue();
    }

    private Optional<String> optionalText(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (absent(v)) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            problems.add(new ProgramProblem(path + "." + field, INVALID_TYPE, field + " is a string"));
            return Optional.empty();
        }
        return Optional.of(v.textValue());
    }

    private long requiredLong(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (absent(v)) {
            problems.add(new ProgramProblem(path + "." + field, MISSING_FIELD, field + " is required"));
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            problems.add(new ProgramProblem(path + "." + field, INVALID_TYPE, field + " is an integer"));
            return 0;
        }
        return v.longValue();
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }
}
