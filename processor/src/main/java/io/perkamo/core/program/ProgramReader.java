package io.perkamo.core.program;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

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
 * against them.
 *
 * <p>A new program is read strictly: an unknown field (a typo like {@code rule} for
 * {@code rules} would otherwise silently drop every rule), a program without wallets and a wallet
 * key PHP turns into an integer are problems. A version already published is read with the
 * rules it was published under, so that versions in the log keep running as they did.
 */
final class ProgramReader {
    static final Pattern EVENT_KEY = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
    static final Pattern REVERSE = Pattern.compile("^\\{\\{\\s*([A-Za-z0-9_\\-]+(?:\\.[A-Za-z0-9_\\-]+)*)\\s*\\}\\}$");
    /** Object keys PHP's json_decode (and any PHP array) turns into ints: "2024" becomes 2024. */
    static final Pattern PHP_INT_KEY = Pattern.compile("^(0|-?[1-9][0-9]*)$");

    /**
     * Top-level fields. {@code tenant} and {@code space} may be sent in any API body (SPEC
     * section 2); the API has already checked them against the key's Space. Versions published
     * before webhooks had endpoints of their own may carry {@code webhooks}: read as published,
     * they keep it (it is ignored), but a new program may not (see {@link #WEBHOOKS_MOVED}).
     */
    static final List<String> ROOT_FIELDS = List.of("wallets", "levels", "rules", "perks", "achievements", "rewards",
            "tenant", "space");
    static final String WEBHOOKS_MOVED = "`webhooks` are not part of the program: manage endpoints with"
            + " POST /v1/admin/config/webhooks or `perkamo webhooks add`";
    private static final List<String> WALLET_FIELDS = List.of("key", "name");
    private static final List<String> PERK_FIELDS = List.of("key", "name");
    private static final List<String> LEVELS_FIELDS = List.of("wallet", "basis", "thresholds");
    private static final List<String> THRESHOLD_FIELDS = List.of("level", "name", "at", "perks");
    private static final List<String> RULE_FIELDS = List.of("key", "event", "label", "when", "award", "unlock", "limit",
            "reverse");
    private static final List<String> AWARD_FIELDS = List.of("wallet", "amount");
    private static final List<String> LIMIT_FIELDS = List.of("count", "per");
    private static final List<String> ACHIEVEMENT_FIELDS = List.of("key", "name", "event", "count", "streak", "award",
            "unlock");
    private static final List<String> STREAK_FIELDS = List.of("days");
    private static final List<String> REWARD_FIELDS = List.of("key", "name", "cost", "min_level", "limit", "unlock");
    private static final List<String> COST_FIELDS = List.of("wallet", "amount");
    private static final Pattern PLAIN_FIELD = Pattern.compile("^[A-Za-z0-9_]+$");

    private final boolean strict;
    private final List<ProgramProblem> problems = new ArrayList<>();
    private final Set<String> walletKeys = new HashSet<>();
    private final Set<String> perkKeys = new HashSet<>();
    private final Set<Integer> levelNumbers = new HashSet<>();

    /** @param strict true for a new program, false for a version already published */
    ProgramReader(boolean strict) {
        this.strict = strict;
    }

    ProgramParse read(JsonNode root) {
        if (root == null || !root.isObject()) {
            problems.add(new ProgramProblem("", INVALID_TYPE,
                    "a program must be a JSON/YAML object (mapping) with at least `wallets`; got " + describe(root)));
            return new ProgramParse.Invalid(problems);
        }
        if (strict && root.has("webhooks")) {
            problems.add(new ProgramProblem("webhooks", UNKNOWN_FIELD, WEBHOOKS_MOVED));
        }
        fields(root, "", root.has("webhooks") ? withWebhooks() : ROOT_FIELDS);
        List<Wallet> wallets = list(root, "wallets", "wallets", this::wallet);
        wallets.forEach(w -> walletKeys.add(w.key()));
        duplicates(root.get("wallets"), "wallets");
        if (strict && wallets.isEmpty() && problems.stream().noneMatch(p -> p.path().startsWith("wallets"))) {
            problems.add(new ProgramProblem("wallets", MISSING_FIELD, "a program needs at least one wallet, e.g."
                    + " wallets: [{key: points, name: Points}]; without one no rule can award anything"));
        }
        List<Perk> perks = list(root, "perks", "perks", this::perk);
        perks.forEach(p -> perkKeys.add(p.key()));
        duplicates(root.get("perks"), "perks");
        Optional<Levels> levels = levels(root.get("levels"));
        List<Rule> rules = list(root, "rules", "rules", this::rule);
        duplicates(root.get("rules"), "rules");
        List<Achievement> achievements = list(root, "achievements", "achievements", this::achievement);
        duplicates(root.get("achievements"), "achievements");
        List<Reward> rewards = list(root, "rewards", "rewards", this::reward);
        duplicates(root.get("rewards"), "rewards");
        if (!problems.isEmpty()) {
            return new ProgramParse.Invalid(problems);
        }
        return new ProgramParse.Parsed(new ProgramDefinition(wallets, levels, rules, perks, achievements, rewards));
    }

    private Wallet wallet(JsonNode n, String path) {
        fields(n, path, WALLET_FIELDS);
        String key = requiredText(n, "key", path);
        if (strict && PHP_INT_KEY.matcher(key).matches() && fitsPhpInt(key)) {
            // quoting it would not help: this is the one problem to report
            problems.add(new ProgramProblem(path + ".key", INVALID_WALLET_KEY, "`" + key + "` cannot be a wallet key:"
                    + " wallet keys are JSON object keys (wallet_state), and PHP's json_decode turns an integer-like"
                    + " key into an int, which breaks the official PHP SDK; use a name like `w" + key + "`"));
        } else {
            keyIsText(n, path);
        }
        return new Wallet(key, requiredText(n, "name", path));
    }

    private Perk perk(JsonNode n, String path) {
        fields(n, path, PERK_FIELDS);
        String key = requiredText(n, "key", path);
        keyIsText(n, path);
        return new Perk(key, requiredText(n, "name", path));
    }

    private Optional<Levels> levels(JsonNode n) {
        if (absent(n)) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            problems.add(new ProgramProblem("levels", INVALID_TYPE, "levels is an object, not " + describe(n)));
            return Optional.empty();
        }
        fields(n, "levels", LEVELS_FIELDS);
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
        // with an item skipped (not an object) the indexes no longer match the paths: its
        // problem is listed, the order is checked once it is fixed
        boolean intact = thresholds.size() == n.path("thresholds").size();
        for (int i = 0; i < thresholds.size(); i++) {
            Threshold t = thresholds.get(i);
            levelNumbers.add(t.level());
            if (!intact) {
                continue;
            }
            String path = "levels.thresholds[" + i + "]";
            boolean atRead = !reported(path + ".at");
            boolean levelRead = !reported(path + ".level");
            if (atRead && i == 0 && t.at() != 0) {
                problems.add(new ProgramProblem(path + ".at", BAD_LEVEL, "the first threshold is at 0"));
            }
            if (atRead && i > 0 && t.at() <= thresholds.get(i - 1).at()) {
                problems.add(new ProgramProblem(path + ".at", BAD_LEVEL, "thresholds ascend: at must be above "
                        + thresholds.get(i - 1).at()));
            }
            if (levelRead && i > 0 && t.level() <= thresholds.get(i - 1).level()) {
                problems.add(new ProgramProblem(path + ".level", BAD_LEVEL, "levels ascend: level must be above "
                        + thresholds.get(i - 1).level()));
            }
            if (levelRead && t.level() < 1) {
                problems.add(new ProgramProblem(path + ".level", BAD_LEVEL, "levels start at 1"));
            }
        }
        return Optional.of(new Levels(wallet, basis, thresholds));
    }

    private Threshold threshold(JsonNode n, String path) {
        fields(n, path, THRESHOLD_FIELDS);
        long level = requiredLong(n, "level", path);
        if (level > Integer.MAX_VALUE) {
            problems.add(new ProgramProblem(path + ".level", BAD_LEVEL, "level too large"));
        }
        String name = requiredText(n, "name", path);
        long at = requiredLong(n, "at", path);
        List<String> perks = perkRefs(n, "perks", path);
        // clamped, not cast: a huge negative level must not wrap into a valid one
        return new Threshold((int) Math.max(Integer.MIN_VALUE, Math.min(level, Integer.MAX_VALUE)), name, at, perks);
    }

    private Rule rule(JsonNode n, String path) {
        fields(n, path, RULE_FIELDS);
        String key = requiredText(n, "key", path);
        keyIsText(n, path);
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
        fields(n, path, ACHIEVEMENT_FIELDS);
        String key = requiredText(n, "key", path);
        keyIsText(n, path);
        String name = requiredText(n, "name", path);
        String event = eventKey(n, path);
        Optional<Long> count = Optional.empty();
        if (!absent(n.get("count"))) {
            long c = requiredLong(n, "count", path);
            if (c < 1 && !reported(path + ".count")) {
                problems.add(new ProgramProblem(path + ".count", BAD_ACHIEVEMENT, "count is at least 1"));
            }
            count = Optional.of(c);
        }
        Optional<Integer> streak = Optional.empty();
        JsonNode s = n.get("streak");
        if (!absent(s)) {
            if (!s.isObject()) {
                problems.add(new ProgramProblem(path + ".streak", INVALID_TYPE, "streak is {days: N}, not " + describe(s)));
            } else {
                fields(s, path + ".streak", STREAK_FIELDS);
                long days = requiredLong(s, "days", path + ".streak");
                if ((days < 1 || days > 100_000) && !reported(path + ".streak.days")) {
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
        fields(n, path, REWARD_FIELDS);
        String key = requiredText(n, "key", path);
        keyIsText(n, path);
        String name = requiredText(n, "name", path);
        JsonNode c = n.get("cost");
        Cost cost = new Cost("", 0);
        if (absent(c)) {
            problems.add(new ProgramProblem(path + ".cost", MISSING_FIELD, "cost is required"));
        } else if (!c.isObject()) {
            problems.add(new ProgramProblem(path + ".cost", INVALID_TYPE, "cost is {wallet, amount}, not " + describe(c)));
        } else {
            fields(c, path + ".cost", COST_FIELDS);
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
            if ((!levelNumbers.contains((int) m) || m != (int) m) && !reported(path + ".min_level")) {
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
            fields(a, p, AWARD_FIELDS);
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
            problems.add(new ProgramProblem(path, BAD_LIMIT, "limit is {count, per}, not " + describe(n)));
            return Optional.empty();
        }
        fields(n, path, LIMIT_FIELDS);
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
            problems.add(new ProgramProblem(path, INVALID_TYPE, field + " is a list, not " + describe(n)));
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String itemPath = path + "[" + i + "]";
            JsonNode element = n.get(i);
            if (textItems ? !element.isTextual() : !element.isObject()) {
                problems.add(new ProgramProblem(itemPath, INVALID_TYPE,
                        (textItems ? "expected a key, got " : "expected an object, got ") + describe(element)));
                continue;
            }
            out.add(item.apply(element, itemPath));
        }
        return out;
    }

    /** Over the document, not the items read, so that a skipped item does not shift the paths. */
    private void duplicates(JsonNode list, String path) {
        if (list == null || !list.isArray()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode key = list.get(i).path("key");
            String k = key.isValueNode() && !key.isNull() ? key.asText() : "";
            if (!k.isBlank() && !seen.add(k)) {
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
            problems.add(new ProgramProblem(path + "." + field, INVALID_TYPE, field + " is a string, not " + describe(v)));
            return "";
        }
        return v.textValue();
    }

    /**
     * A key is text: YAML reads {@code key: 7} or {@code key: yes} as a number or a boolean, and
     * a key that reads back differently from what was written is a trap (a name may be anything).
     */
    private void keyIsText(JsonNode n, String path) {
        JsonNode v = n.get("key");
        if (strict && v != null && v.isValueNode() && !v.isTextual() && !v.isNull()) {
            problems.add(new ProgramProblem(path + ".key", INVALID_TYPE, "key is a string, not " + describe(v)
                    + "; quote it: key: \"" + v.asText() + "\""));
        }
    }

    private Optional<String> optionalText(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (absent(v)) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            problems.add(new ProgramProblem(path + "." + field, INVALID_TYPE, field + " is a string, not " + describe(v)));
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
            problems.add(new ProgramProblem(path + "." + field, INVALID_TYPE, field + " is an integer, not " + describe(v)));
            return 0;
        }
        return v.longValue();
    }

    private static List<String> withWebhooks() {
        List<String> known = new ArrayList<>(ROOT_FIELDS);
        known.add("webhooks");
        return known;
    }

    /** Every field of an object must be one of {@code known}; a near miss names the field meant. */
    private void fields(JsonNode n, String path, List<String> known) {
        if (!strict) {
            return;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (known.contains(name)) {
                continue;
            }
            String hint = closest(name, known).map(k -> "did you mean `" + k + "`?")
                    .orElse("known fields here: " + String.join(", ", known));
            problems.add(new ProgramProblem(fieldPath(path, name), UNKNOWN_FIELD, "`" + name + "`: unknown field; " + hint));
        }
    }

    /** {@code rules[0].lable}; a name that is not a plain word is quoted: {@code rules[0]["a.b"]}. */
    private static String fieldPath(String path, String name) {
        if (!PLAIN_FIELD.matcher(name).matches()) {
            return path + "[" + JsonNodeFactory.instance.textNode(name) + "]";
        }
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The known field a typo most likely meant: same letters in another case, or within two edits. */
    static Optional<String> closest(String name, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            if (k.equalsIgnoreCase(name)) {
                return Optional.of(k);
            }
            int d = levenshtein(name.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // a one- or two-letter name is within two edits of every short field: no guess then
        return bestDistance <= 2 && bestDistance < name.length() ? Optional.ofNullable(best) : Optional.empty();
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** PHP converts only keys within its int range (64-bit PHP: a Java long). */
    private static boolean fitsPhpInt(String key) {
        try {
            Long.parseLong(key);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "an empty document";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> !n.isIntegralNumber() ? "a decimal number (" + n.asText() + ")"
                    : n.canConvertToLong() ? "a number" : "an integer beyond 64 bits";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + n.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
        };
    }

    /** A value already reported (missing or of the wrong type) gets no second problem about its range. */
    private boolean reported(String path) {
        return problems.stream().anyMatch(p -> p.path().equals(path));
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }
}
