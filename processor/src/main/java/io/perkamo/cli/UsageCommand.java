package io.perkamo.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.perkamo.usage.UsageCounts;
import io.perkamo.usage.UsageDay;
import io.perkamo.usage.UsageLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code perkamo usage --space S [--from D] [--to D]}: the Space's usage meters, one row per UTC day. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Print a Space's usage meters per UTC day (from its usage topic).")
final class UsageCommand implements Callable<Integer> {
    @Mixin
    ControlOptions control;
    @Option(names = "--space", required = true, paramLabel = "<slug>")
    String space;
    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "first day (default: 6 days before --to)")
    LocalDate from;
    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "last day, included (default: today, UTC)")
    LocalDate to;

    @Override
    public Integer call() {
        return control.execute(() -> {
            LocalDate last = to != null ? to : LocalDate.now(Clock.system(ZoneOffset.UTC));
            LocalDate first = from != null ? from : last.minusDays(6);
            if (last.isBefore(first)) {
                throw new IllegalArgumentException("--to is before --from");
            }
            List<List<String>> rows = new ArrayList<>();
            for (UsageDay d : UsageLog.read(control.bootstrapServers, space, first, last)) {
                UsageCounts c = d.counts();
                rows.add(List.of(d.date().toString(), n(c.inputs()), n(c.applied()), n(c.duplicates()),
                        n(c.conflicts()), n(c.rejected()), n(c.dlq()), n(c.redemptions()),
                        n(c.redemptionsRejected()), n(c.activeCustomers()), n(c.webhookSucceeded()),
                        n(c.webhookFailed())));
            }
            PrintWriter out = control.out();
            out.printf("Usage of Space %s (UTC days)%n", space);
            Tables.print(out, List.of("DATE", "INPUTS", "APPLIED", "DUPLICATES", "CONFLICTS", "REJECTED", "DLQ",
                    "REDEEMED", "REDEEM_REJECTED", "ACTIVE", "WEBHOOKS_OK", "WEBHOOKS_FAILED"), rows, "");
            out.flush();
        });
    }

    private static String n(long v) {
        return Long.toString(v);
    }
}
