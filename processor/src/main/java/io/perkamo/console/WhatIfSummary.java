package io.perkamo.console;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The what-if's summary (the document {@code POST /v1/admin/simulate} answers) in the console's
 * words: totals per wallet live against draft, the level distribution, the redemptions decided
 * otherwise and the top movers.
 */
final class WhatIfSummary {
    private WhatIfSummary() {
    }

    static Model.WhatIfView view(String space, ObjectNode s) {
        long inputs = s.path("inputs").asLong();
        long differing = s.path("differing_users").asLong();
        List<String> facts = new ArrayList<>();
        facts.add(Formats.number(s.path("records").asLong()) + " records read: " + Formats.number(inputs)
                + " inputs, " + Formats.number(s.path("dlq").asLong()) + " to the DLQ, "
                + Formats.number(s.path("moved").asLong()) + " moved");
        long users = s.path("users").asLong();
        facts.add(Formats.number(users) + (users == 1 ? " customer, " : " customers, ") + Formats.number(differing)
                + " of them " + (differing == 1 ? "ends" : "end") + " differently");
        JsonNode program = s.path("program");
        List<String> live = new ArrayList<>();
        program.path("live_versions").forEach(v -> live.add("v" + v.path("version").asLong()));
        String from = program.path("effective_at").asText();
        facts.add("The draft as version " + program.path("draft_version").asLong() + ", in force "
                + (from.startsWith("1970-01-01T00:00") ? "from the beginning" : "from " + from) + "; live "
                + (live.isEmpty() ? "no version"
                : String.join(", ", live)));

        List<Model.WalletDiffRow> wallets = new ArrayList<>();
        fields(s.path("wallets")).forEach((wallet, w) -> wallets.add(new Model.WalletDiffRow(wallet,
                Formats.number(w.path("live").path("credited").asLong()),
                Formats.number(w.path("draft").path("credited").asLong()),
                Formats.number(w.path("live").path("debited").asLong()),
                Formats.number(w.path("draft").path("debited").asLong()),
                Formats.number(w.path("live").path("outstanding").asLong()),
                Formats.number(w.path("draft").path("outstanding").asLong()),
                Formats.signed(w.path("difference").path("outstanding").asLong()))));

        TreeSet<Integer> levelKeys = new TreeSet<>();
        s.path("levels").path("live").fieldNames().forEachRemaining(k -> levelKeys.add(Integer.parseInt(k)));
        s.path("levels").path("draft").fieldNames().forEachRemaining(k -> levelKeys.add(Integer.parseInt(k)));
        List<Model.LevelCountRow> levels = levelKeys.stream().map(l -> new Model.LevelCountRow("Level " + l,
                Formats.number(s.path("levels").path("live").path(String.valueOf(l)).asLong()),
                Formats.number(s.path("levels").path("draft").path(String.valueOf(l)).asLong()))).toList();

        JsonNode red = s.path("redemptions");
        List<Model.NamedRow> redemptions = new ArrayList<>();
        fields(red.path("changes")).forEach((change, n) -> redemptions.add(new Model.NamedRow(change,
                Formats.number(n.asLong()))));
        List<Model.RedemptionExampleRow> examples = new ArrayList<>();
        red.path("examples").forEach(e -> examples.add(new Model.RedemptionExampleRow(e.path("user_id").asText(),
                customerUrl(space, e.path("user_id").asText()), e.path("transaction_id").asText(),
                e.path("reward").asText(), e.path("live").asText(), e.path("draft").asText())));

        List<Model.MoverRow> movers = new ArrayList<>();
        s.path("top_movers").forEach(m -> movers.add(new Model.MoverRow(m.path("user_id").asText(),
                customerUrl(space, m.path("user_id").asText()), state(m.path("live")), state(m.path("draft")),
                Formats.number(m.path("movement").asLong()))));

        Model.Notice notice = differing == 0
                ? Model.Notice.ok("No customer ends differently", "Over " + Formats.number(inputs)
                        + " inputs of the Space's history the draft gives every customer the same final state.")
                : Model.Notice.info(Formats.number(differing) + (differing == 1 ? " customer ends" : " customers end")
                        + " differently under the draft", "Nothing was written: the log, the customers and the"
                        + " program are unchanged.");
        return new Model.WhatIfView(Optional.of(notice), List.of(), facts, wallets, levels,
                Formats.number(red.path("total").asLong()), Formats.number(red.path("changed").asLong()), redemptions,
                examples, movers, s.path("seconds").asDouble());
    }

    static Model.WhatIfView refused(Model.Notice notice, List<Model.ProblemRow> problems) {
        return new Model.WhatIfView(Optional.of(notice), problems, List.of(), List.of(), List.of(), "", "", List.of(),
                List.of(), List.of(), 0);
    }

    /** A user's final state: balances, level, perks. */
    private static String state(JsonNode v) {
        List<String> parts = new ArrayList<>();
        fields(v.path("wallets")).forEach((w, n) -> parts.add(Formats.number(n.asLong()) + " " + w));
        String s = parts.isEmpty() ? "no balance" : String.join(", ", parts);
        s += " · level " + v.path("level").asInt();
        List<String> perks = new ArrayList<>();
        v.path("perks").forEach(p -> perks.add(p.asText()));
        return perks.isEmpty() ? s : s + " · " + String.join(", ", perks);
    }

    private static String customerUrl(String space, String userId) {
        return Web.BASE + "/spaces/" + space + "/customers?user_id=" + Web.enc(userId);
    }

    private static Map<String, JsonNode> fields(JsonNode object) {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
