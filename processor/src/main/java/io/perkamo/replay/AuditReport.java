package io.perkamo.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.schemas.Json;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.input.ProfileJson;

/**
 * What an audit found: users replayed and compared, and every user whose live profile differs
 * from the replay (summary, users.csv, report.html). {@link #clean()} decides the exit code.
 */
public final class AuditReport {
    /** Differences listed in the summary and on the terminal; users.csv has them all. */
    static final int LISTED = 20;

    private final String space;
    private final Audit.Result r;
    private final ReplayLoop.Done done;
    private final ProgramHistory live;
    private final long nanos;

    AuditReport(String space, Audit.Result result, ReplayLoop.Done done, ProgramHistory live, long nanos) {
        this.space = space;
        this.r = result;
        this.done = done;
        this.live = live;
        this.nanos = nanos;
    }

    /** No user differs. */
    public boolean clean() {
        return r.differences().isEmpty();
    }

    public long inputs() {
        return r.counts().inputs;
    }

    public long users() {
        return r.users();
    }

    public long records() {
        return done.records();
    }

    public double seconds() {
        return nanos / 1e9;
    }

    /** The differing users' ids, in order. */
    public List<String> differingUsers() {
        return r.differences().stream().map(Audit.Difference::userId).toList();
    }

    public ObjectNode summary() {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("mode", "audit");
        s.put("space", space);
        r.counts().putInto(s);
        s.put("users", r.users());
        s.put("compared_users", r.compared());
        s.put("pending_users", r.pending());
        s.put("differing_users", r.differences().size());
        ArrayNode list = s.putArray("differences");
        for (Audit.Difference d : r.differences().subList(0, Math.min(LISTED, r.differences().size()))) {
            ObjectNode n = list.addObject();
            n.put("user_id", d.userId());
            n.put("partition", d.partition());
            n.put("reason", d.reason());
            n.put("live_version", d.liveVersion());
            n.put("replayed_version", d.replayedVersion());
            d.live().ifPresent(p -> n.set("live", ProfileJson.toJson(p)));
            d.replayed().ifPresent(p -> n.set("replayed", ProfileJson.toJson(p)));
        }
        ObjectNode wallets = s.putObject("wallets");
        for (String wallet : wallets()) {
            wallets.putObject(wallet).putObject("live")
                    .put("credited", r.tally().credited.getOrDefault(wallet, 0L))
                    .put("debited", r.tally().debited.getOrDefault(wallet, 0L))
                    .put("outstanding", r.balances().getOrDefault(wallet, 0L));
        }
        ObjectNode levels = s.putObject("levels").putObject("live");
        r.levels().forEach((level, n) -> levels.put(String.valueOf(level), n));
        ArrayNode versions = s.putObject("program").putArray("live_versions");
        for (CompiledProgram p : live.versions()) {
            versions.addObject().put("version", p.version()).put("effective_at", p.effectiveAt().toString());
        }
        s.put("seconds", Math.round(seconds() * 1000) / 1000.0);
        s.put("records_per_s", seconds() > 0 ? Math.round(done.records() / seconds()) : 0);
        return s;
    }

    private List<String> wallets() {
        Set<String> out = new LinkedHashSet<>();
        for (CompiledProgram p : live.versions()) {
            out.addAll(p.walletKeys());
        }
        out.addAll(r.balances().keySet());
        return List.copyOf(out);
    }

    public void print(PrintWriter out) {
        out.printf("Audit of Space %s: %,d records (%,d inputs, %,d to the DLQ, %,d moved), %,d users, %,d compared"
                        + " with the live profiles (%,d not yet processed live), %,d differ%n",
                space, r.counts().records, r.counts().inputs, r.counts().dlqTotal(), r.counts().moved, r.users(),
                r.compared(), r.pending(), r.differences().size());
        for (Audit.Difference d : r.differences().subList(0, Math.min(LISTED, r.differences().size()))) {
            out.printf("  %s: %s (live version %d, replayed %d)%n", d.userId(), d.reason(), d.liveVersion(),
                    d.replayedVersion());
            d.live().ifPresent(p -> out.printf("    live:     %s%n", brief(p)));
            d.replayed().ifPresent(p -> out.printf("    replayed: %s%n", brief(p)));
        }
        if (r.differences().size() > LISTED) {
            out.printf("  ... and %,d more (--report DIR writes them all to users.csv)%n",
                    r.differences().size() - LISTED);
        }
        out.flush();
    }

    private static String brief(Profile p) {
        UserView v = UserView.of(p);
        return "wallets " + v.wallets() + ", level " + v.level() + ", perks " + v.perks() + ", version "
                + p.getVersion();
    }

    public String finalLine() {
        return String.format("replayed %,d records (%,d inputs, %,d users) in %.2f s, %,.0f records/s; %,d differences",
                done.records(), r.counts().inputs, r.users(), seconds(), done.records() / Math.max(1e-9, seconds()),
                r.differences().size());
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("summary.json").toFile(), summary());
        List<String> wallets = wallets();
        try (Writer out = Files.newBufferedWriter(dir.resolve("users.csv"), StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>(List.of("user_id"));
            for (String wallet : wallets) {
                header.add("live_" + wallet);
                header.add("replayed_" + wallet);
            }
            header.addAll(List.of("live_level", "replayed_level", "live_version", "replayed_version", "reason"));
            Csv.row(out, header);
            for (Audit.Difference d : r.differences()) {
                UserView l = d.live().map(UserView::of).orElse(UserView.NONE);
                UserView p = d.replayed().map(UserView::of).orElse(UserView.NONE);
                List<Object> row = new ArrayList<>(List.of(d.userId()));
                for (String wallet : wallets) {
                    row.add(l.balance(wallet));
                    row.add(d.replayed().isPresent() ? String.valueOf(p.balance(wallet)) : "");
                }
                row.addAll(List.of(l.level(), d.replayed().isPresent() ? String.valueOf(p.level()) : "",
                        d.liveVersion(), d.replayedVersion(), d.reason()));
                Csv.row(out, row);
            }
        }
        HtmlReport.write(dir.resolve("report.html"), page(wallets));
    }

    private ObjectNode page(List<String> wallets) {
        String wallet = wallets.isEmpty() ? "points" : wallets.get(0);
        Map<String, String> cards = new LinkedHashMap<>();
        cards.put("inputs", String.format("%,d", r.counts().inputs));
        cards.put("users", String.format("%,d", r.users()));
        cards.put("compared", String.format("%,d", r.compared()));
        cards.put("differences", String.format("%,d", r.differences().size()));
        cards.put("to the DLQ", String.format("%,d", r.counts().dlqTotal()));
        ObjectNode data = HtmlReport.page("Determinism audit: Space " + space, clean()
                ? "every replayed profile equals the live one, byte for byte"
                : r.differences().size() + " users' live profiles differ from the replay", cards);
        data.set("levels", HtmlReport.levels(List.of("replayed"), List.of(r.levels())));
        data.set("credits", HtmlReport.creditsPerDay(wallet, List.of("replayed"),
                List.of(r.tally().creditsByDay.getOrDefault(wallet, Map.of()))));
        List<Long> diffs = new ArrayList<>();
        for (Audit.Difference d : r.differences()) {
            long l = d.live().map(p -> UserView.of(p).balance(wallet)).orElse(0L);
            Optional<Long> p = d.replayed().map(x -> UserView.of(x).balance(wallet));
            p.ifPresent(v -> diffs.add(v - l));
        }
        data.set("histogram", HtmlReport.histogram("Per-user difference in " + wallet + " (replayed - live)",
                wallet, diffs));
        List<List<Object>> rows = new ArrayList<>();
        int shown = Math.min(100, r.differences().size());
        for (Audit.Difference d : r.differences().subList(0, shown)) {
            rows.add(List.of(d.userId(), d.reason(), d.liveVersion(), d.replayedVersion()));
        }
        HtmlReport.table(data, "Differences", List.of("user", "reason", "live version", "replayed version"),
                List.of(false, false, true, true), rows, r.differences().size() - shown);
        return data;
    }
}
