package io.perkamo.core.program;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What publishing a candidate program would change against the active one: wallets, level
 * thresholds (by level number), rules, perks, achievements and rewards, each added, removed or
 * changed (by key). Removals are listed apart because they take something away from customers
 * (a wallet's balances, a level, a reward on sale) and publishing refuses them unless confirmed.
 *
 * <p>Items are compared in their canonical wire shape ({@link ProgramDefinition#toJson()}), so
 * YAML versus JSON or field order never count as a change. A key renamed is a removal plus an
 * addition.
 */
public record ProgramDiff(List<Change> changes) {

    public ProgramDiff {
        changes = List.copyOf(changes);
    }

    /** What kind of item changed; {@link #LEVELS} is the levels section's own settings (wallet, basis). */
    public enum Kind {
        WALLET, LEVELS, LEVEL, RULE, PERK, ACHIEVEMENT, REWARD;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Action {
        ADDED, REMOVED, CHANGED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One item, e.g. rule {@code welcome} or level {@code 2}. */
    public record Item(Kind kind, String key) {
    }

    /**
     * @param details for a change, one entry per field that differs ({@code at: 100 -> 150});
     *                empty for additions and removals
     */
    public record Change(Kind kind, String key, Action action, List<String> details) {
        public Change {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(action, "action");
            details = List.copyOf(details);
        }

        public Item item() {
            return new Item(kind, key);
        }

        /** For people, e.g. {@code rule `welcome` changed: limit: {"count":1,...} -> (none)}. */
        public String line() {
            String what = switch (kind) {
                case LEVELS -> "levels";
                case LEVEL -> "level " + key;
                default -> kind.wire() + " `" + key + "`";
            };
            return what + " " + action.wire() + (details.isEmpty() ? "" : ": " + String.join("; ", details));
        }
    }

    /** Compares the active program (use {@link ProgramDefinition#EMPTY} for none) with a candidate. */
    public static ProgramDiff between(ProgramDefinition active, ProgramDefinition candidate) {
        JsonNode before = active.toJson();
        JsonNode after = candidate.toJson();
        List<Change> changes = new ArrayList<>();
        compare(Kind.WALLET, byKey(before.get("wallets"), "key"), byKey(after.get("wallets"), "key"), changes);
        JsonNode levelsBefore = before.path("levels");
        JsonNode levelsAfter = after.path("levels");
        if (levelsBefore.isObject() && levelsAfter.isObject()) {
            List<String> details = new ArrayList<>();
            for (String field : List.of("wallet", "basis")) {
                detail(field, levelsBefore.path(field), levelsAfter.path(field), details);
            }
            if (!details.isEmpty()) {
                changes.add(new Change(Kind.LEVELS, "levels", Action.CHANGED, details));
            }
        }
        compare(Kind.LEVEL, byKey(levelsBefore.path("thresholds"), "level"),
                byKey(levelsAfter.path("thresholds"), "level"), changes);
        compare(Kind.RULE, byKey(before.get("rules"), "key"), byKey(after.get("rules"), "key"), changes);
        compare(Kind.PERK, byKey(before.get("perks"), "key"), byKey(after.get("perks"), "key"), changes);
        compare(Kind.ACHIEVEMENT, byKey(before.get("achievements"), "key"), byKey(after.get("achievements"), "key"),
                changes);
        compare(Kind.REWARD, byKey(before.get("rewards"), "key"), byKey(after.get("rewards"), "key"), changes);
        return new ProgramDiff(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The items the candidate drops, in the active program's order. */
    public List<Item> removals() {
        return changes.stream().filter(c -> c.action() == Action.REMOVED).map(Change::item).toList();
    }

    /** One line per change, for the CLI and the API answer. */
    public List<String> lines() {
        return changes.stream().map(Change::line).toList();
    }

    /** Per kind: removed and changed items in the active order, then added ones in the candidate order. */
    private static void compare(Kind kind, Map<String, JsonNode> before, Map<String, JsonNode> after,
                                List<Change> out) {
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
            JsonNode now = after.get(e.getKey());
            if (now == null) {
                out.add(new Change(kind, e.getKey(), Action.REMOVED, List.of()));
            } else if (!now.equals(e.getValue())) {
                out.add(new Change(kind, e.getKey(), Action.CHANGED, fieldChanges(e.getValue(), now)));
            }
        }
        for (String key : after.keySet()) {
            if (!before.containsKey(key)) {
                out.add(new Change(kind, key, Action.ADDED, List.of()));
            }
        }
    }

    private static List<String> fieldChanges(JsonNode before, JsonNode after) {
        Set<String> fields = new LinkedHashSet<>();
        before.fieldNames().forEachRemaining(fields::add);
        after.fieldNames().forEachRemaining(fields::add);
        List<String> details = new ArrayList<>();
        for (String field : fields) {
            detail(field, before.path(field), after.path(field), details);
        }
        return details;
    }

    private static void detail(String field, JsonNode before, JsonNode after, List<String> out) {
        if (!before.equals(after)) {
            out.add(field + ": " + show(before) + " -> " + show(after));
        }
    }

    private static String show(JsonNode n) {
        return n.isMissingNode() ? "(none)" : n.toString();
    }

    /** Items of a list by their key field, first occurrence kept (a valid program has no duplicates). */
    private static Map<String, JsonNode> byKey(JsonNode list, String keyField) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (list == null || !list.isArray()) {
            return out;
        }
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            JsonNode item = it.next();
            out.putIfAbsent(item.path(keyField).asText(), item);
        }
        return out;
    }
}
