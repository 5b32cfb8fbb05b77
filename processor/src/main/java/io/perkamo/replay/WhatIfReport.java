package io.perkamo.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.schemas.Json;

/**
 * What a what-if found: the summary (summary.json, also the HTTP what-if's answer), the
 * differing users (users.csv) and the page with charts (report.html).
 */
public final class WhatIfReport {
    /** Listed in the summary; users.csv has them all. */
    static final int TOP = 20;

    private final String space;
    private final WhatIf.Result r;
    private final ReplayLoop.Done done;
    private final ProgramHistory live;
    private final CompiledProgram draft;
    private final Window window;
    private final long nanos;

    WhatIfReport(String space, WhatIf.Result result, ReplayLoop.Done done, ProgramHistory live, CompiledProgram draft,
                 Window window, long nanos) {
        this.space = space;
        this.r = result;
        this.done = done;
        this.live = live;
        this.draft = draft;
        this.window = window;
        this.nanos = nanos;
    }

    public long inputs() {
        return r.counts().inputs;
    }

    public long differingUsers() {
        return r.differing().size();
    }

    public double seconds() {
        return nanos / 1e9;
    }

    /** The summary.json document. */
    public ObjectNode summary() {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("mode", "what-if");
        s.put("space", space);
        r.counts().putInto(s);
        s.put("users", r.users());
        s.put("differing_users", r.differing().size());
        ObjectNode w = s.putObject("window");
        w.put("from", window.from().map(Instant::toString).orElse(null));
        w.put("to", window.to().map(Instant::toString).orElse(null));
        ObjectNode program = s.putObject("program");
        ArrayNode versions = program.putArray("live_versions");
        for (CompiledProgram p : live.versions()) {
            versions.addObject().put("version", p.version()).put("effective_at", p.effectiveAt().toString());
        }
        program.put("draft_version", draft.version());
        program.put("effective_at", draft.effectiveAt().toString());

        ObjectNode wallets = s.putObject("wallets");
        for (String wallet : r.wallets()) {
            ObjectNode node = wallets.putObject(wallet);
            ObjectNode l = totals(node.putObject("live"), r.live(), r.liveStates(), wallet);
            ObjectNode d = totals(node.putObject("draft"), r.draft(), r.draftStates(), wallet);
            ObjectNode diff = node.putObject("difference");
            for (String f : List.of("credited", "debited", "outstanding")) {
                diff.put(f, d.get(f).asLong() - l.get(f).asLong());
            }
        }
        ObjectNode byRule = s.putObject("credits_by_rule");
        TreeSet<String> rules = new TreeSet<>(r.live().creditsByRule.keySet());
        rules.addAll(r.draft().creditsByRule.keySet());
        for (String rule : rules) {
            ObjectNode node = byRule.putObject(rule);
            TreeSet<String> ws = new TreeSet<>(r.live().creditsByRule.getOrDefault(rule, Map.of()).keySet());
            ws.addAll(r.draft().creditsByRule.getOrDefault(rule, Map.of()).keySet());
            for (String wallet : ws) {
                long lv = r.live().creditsByRule.getOrDefault(rule, Map.of()).getOrDefault(wallet, 0L);
                long dv = r.draft().creditsByRule.getOrDefault(rule, Map.of()).getOrDefault(wallet, 0L);
                node.putObject(wallet).put("live", lv).put("draft", dv).put("difference", dv - lv);
            }
        }
        ObjectNode levels = s.putObject("levels");
        levels.set("live", counts(r.liveStates().levels()));
        levels.set("draft", counts(r.draftStates().levels()));
        s.set("perks", pairs(r.liveStates().perks(), r.draftStates().perks()));
        s.set("achievements", pairs(r.liveStates().achievements(), r.draftStates().achievements()));
        ObjectNode red = s.putObject("redemptions");
        red.put("total", r.redemptions());
        red.put("changed", r.redemptionChanges().values().stream().mapToLong(Long::longValue).sum());
        red.set("changes", Json.MAPPER.valueToTree(r.redemptionChanges()));
        ArrayNode examples = red.putArray("examples");
        for (WhatIf.RedemptionChange c : r.redemptionExamples().subList(0, Math.min(TOP, r.redemptionExamples().size()))) {
            examples.addObject().put("user_id", c.userId()).put("transaction_id", c.transactionId())
                    .put("reward", c.reward()).put("partition", c.partition()).put("offset", c.offset())
                    .put("live", c.live()).put("draft", c.draft());
        }
        ArrayNode movers = s.putArray("top_movers");
        for (WhatIf.UserDiff u : r.differing().subList(0, Math.min(TOP, r.differing().size()))) {
            ObjectNode m = movers.addObject();
            m.put("user_id", u.userId());
            m.put("movement", u.movement());
            m.set("live", view(u.live()));
            m.set("draft", view(u.draft()));
        }
        s.put("seconds", Math.round(seconds() * 1000) / 1000.0);
        s.put("records_per_s", seconds() > 0 ? Math.round(done.records() / seconds()) : 0);
        return s;
    }

    private static ObjectNode totals(ObjectNode node, LaneTally t, WhatIf.States states, String wallet) {
        node.put("credited", t.credited.getOrDefault(wallet, 0L));
        node.put("debited", t.debited.getOrDefault(wallet, 0L));
        node.put("outstanding", states.outstanding().getOrDefault(wallet, 0L));
        return node;
    }

    private static ObjectNode counts(Map<Integer, Long> byLevel) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        byLevel.forEach((level, count) -> n.put(String.valueOf(level), count));
        return n;
    }

    private static ObjectNode pairs(Map<String, Long> live, Map<String, Long> draft) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        TreeSet<String> keys = new TreeSet<>(live.keySet());
        keys.addAll(draft.keySet());
        for (String k : keys) {
            n.putObject(k).put("live", live.getOrDefault(k, 0L)).put("draft", draft.getOrDefault(k, 0L));
        }
        return n;
    }

    static ObjectNode view(UserView v) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("wallets", Json.MAPPER.valueToTree(new TreeMap<>(v.wallets())));
        n.put("level", v.level());
        ArrayNode perks = n.putArray("perks");
        v.perks().forEach(perks::add);
        return n;
    }

    /** The summary for a terminal. */
    public void print(PrintWriter out) {
        out.printf("What-if of a draft program (version %d, in force from %s) over Space %s%n", draft.version(),
                draft.effectiveAt(), space);
        out.printf("  %,d records: %,d inputs, %,d to the DLQ, %,d moved; %,d users, %,d of them differ%n",
                r.counts().records, r.counts().inputs, r.counts().dlqTotal(), r.counts().moved, r.users(),
                r.differing().size());
        for (String wallet : r.wallets()) {
            out.printf("  %-12s credited %,d -> %,d   debited %,d -> %,d   outstanding %,d -> %,d%n", wallet,
                    r.live().credited.getOrDefault(wallet, 0L), r.draft().credited.getOrDefault(wallet, 0L),
                    r.live().debited.getOrDefault(wallet, 0L), r.draft().debited.getOrDefault(wallet, 0L),
                    r.liveStates().outstanding().getOrDefault(wallet, 0L),
                    r.draftStates().outstanding().getOrDefault(wallet, 0L));
        }
        long changed = r.redemptionChanges().values().stream().mapToLong(Long::longValue).sum();
        out.printf("  redemptions: %,d, %,d decided otherwise%n", r.redemptions(), changed);
        r.redemptionChanges().forEach((k, v) -> out.printf("    %s: %,d%n", k, v));
        if (!r.differing().isEmpty()) {
            out.println("  top movers:");
            for (WhatIf.UserDiff u : r.differing().subList(0, Math.min(10, r.differing().size()))) {
                out.printf("    %s: %s -> %s%n", u.userId(), u.live().wallets(), u.draft().wallets());
            }
        }
        out.flush();
    }

    /** The final line: the figures of the run. */
    public String finalLine() {
        return String.format("replayed %,d records (%,d inputs, %,d users) in %.2f s, %,.0f records/s; %,d users differ",
                done.records(), r.counts().inputs, r.users(), seconds(), done.records() / Math.max(1e-9, seconds()),
                r.differing().size());
    }

    /** Writes summary.json, users.csv and report.html into {@code dir} (created if missing). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("summary.json").toFile(), summary());
        try (Writer out = Files.newBufferedWriter(dir.resolve("users.csv"), StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>(List.of("user_id"));
            for (String wallet : r.wallets()) {
                header.add("live_" + wallet);
                header.add("draft_" + wallet);
            }
            header.addAll(List.of("live_level", "draft_level", "live_perks", "draft_perks", "movement"));
            Csv.row(out, header);
            for (WhatIf.UserDiff u : r.differing()) {
                List<Object> row = new ArrayList<>(List.of(u.userId()));
                for (String wallet : r.wallets()) {
                    row.add(u.live().balance(wallet));
                    row.add(u.draft().balance(wallet));
                }
                row.addAll(List.of(u.live().level(), u.draft().level(), String.join(" ", u.live().perks()),
                        String.join(" ", u.draft().perks()), u.movement()));
                Csv.row(out, row);
            }
        }
        HtmlReport.write(dir.resolve("report.html"), page());
    }

    private ObjectNode page() {
        String wallet = chartWallet();
        Map<String, String> cards = new LinkedHashMap<>();
        cards.put("inputs", String.format("%,d", r.counts().inputs));
        cards.put("users", String.format("%,d", r.users()));
        cards.put("users who differ", String.format("%,d", r.differing().size()));
        for (String w : r.wallets()) {
            long l = r.liveStates().outstanding().getOrDefault(w, 0L);
            long d = r.draftStates().outstanding().getOrDefault(w, 0L);
            cards.put(w + " outstanding, live -> draft", String.format("%,d -> %,d", l, d));
        }
        cards.put("redemptions decided otherwise",
                String.format("%,d", r.redemptionChanges().values().stream().mapToLong(Long::longValue).sum()));
        ObjectNode data = HtmlReport.page("What-if: Space " + space,
                "draft program as version " + draft.version() + ", in force from " + draft.effectiveAt()
                        + "; live versions " + live.versions().stream().map(p -> String.valueOf(p.version())).toList(),
                cards);
        data.set("levels", HtmlReport.levels(List.of("live", "draft"),
                List.of(r.liveStates().levels(), r.draftStates().levels())));
        data.set("credits", HtmlReport.creditsPerDay(wallet, List.of("live", "draft"),
                List.of(r.live().creditsByDay.getOrDefault(wallet, Map.of()),
                        r.draft().creditsByDay.getOrDefault(wallet, Map.of()))));
        List<Long> diffs = new ArrayList<>();
        r.differing().forEach(u -> diffs.add(u.draft().balance(wallet) - u.live().balance(wallet)));
        data.set("histogram", HtmlReport.histogram("Per-user difference in " + wallet + " (draft - live), users"
                + " who differ", wallet, diffs));
        List<List<Object>> movers = new ArrayList<>();
        int shown = Math.min(100, r.differing().size());
        for (WhatIf.UserDiff u : r.differing().subList(0, shown)) {
            List<Object> row = new ArrayList<>(List.of(u.userId()));
            for (String w : r.wallets()) {
                row.add(u.live().balance(w));
                row.add(u.draft().balance(w));
            }
            row.add(u.live().level() + " -> " + u.draft().level());
            movers.add(row);
        }
        List<String> columns = new ArrayList<>(List.of("user"));
        List<Boolean> numeric = new ArrayList<>(List.of(false));
        for (String w : r.wallets()) {
            columns.addAll(List.of(w + " live", w + " draft"));
            numeric.addAll(List.of(true, true));
        }
        columns.add("level");
        numeric.add(false);
        HtmlReport.table(data, "Top movers", columns, numeric, movers, r.differing().size() - shown);
        List<List<Object>> changes = new ArrayList<>();
        for (WhatIf.RedemptionChange c : r.redemptionExamples()) {
            changes.add(List.of(c.userId(), c.transactionId(), c.reward(), c.live(), c.draft()));
        }
        long changed = r.redemptionChanges().values().stream().mapToLong(Long::longValue).sum();
        HtmlReport.table(data, "Redemptions decided otherwise", List.of("user", "transaction", "reward", "live",
                "draft"), List.of(false, false, false, false, false), changes, changed - changes.size());
        List<List<Object>> ruleRows = new ArrayList<>();
        TreeSet<String> rules = new TreeSet<>(r.live().creditsByRule.keySet());
        rules.addAll(r.draft().creditsByRule.keySet());
        for (String rule : rules) {
            for (String w : r.wallets()) {
                long lv = r.live().creditsByRule.getOrDefault(rule, Map.of()).getOrDefault(w, 0L);
                long dv = r.draft().creditsByRule.getOrDefault(rule, Map.of()).getOrDefault(w, 0L);
                if (lv != 0 || dv != 0) {
                    ruleRows.add(List.of(rule, w, lv, dv, dv - lv));
                }
            }
        }
        HtmlReport.table(data, "Credits per rule", List.of("rule", "wallet", "live", "draft", "difference"),
                List.of(false, false, true, true, true), ruleRows, 0);
        return data;
    }

    /** The wallet the charts show: the draft's first, else any. */
    private String chartWallet() {
        if (!draft.walletKeys().isEmpty()) {
            return draft.walletKeys().get(0);
        }
        return r.wallets().isEmpty() ? "points" : r.wallets().get(0);
    }
}
