package io.perkamo.console;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;
import io.perkamo.control.Space;

/**
 * A Space's usage per UTC day: charts (inline SVG, laid out by {@link UsageChart}) and a table
 * of every counter, over a range of days, read through {@link Console.Usage}, the query that
 * answers {@code GET /v1/usage}: the console and the API cannot disagree. A counter or chart
 * whose field the days do not carry is left out, so a new meter shows once it is declared here.
 */
final class UsagePages {
    static final int DEFAULT_DAYS = 30;

    /** @param additive false: a day's count that is not summed over days (a customer active on two days) */
    private record Counter(String field, String column, String name, String tone, boolean additive) {
    }

    private static final List<Counter> COUNTERS = List.of(
            new Counter("inputs", "Inputs", "inputs", "good", true),
            new Counter("inputs_api", "Inputs via API", "via API", "good", true),
            new Counter("inputs_kafka", "Inputs via Kafka", "via Kafka", "good", true),
            new Counter("applied", "Applied", "applied", "good", true),
            new Counter("duplicates", "Duplicates", "duplicates", "repeat", true),
            new Counter("conflicts", "Conflicts", "conflicts", "conflict", true),
            new Counter("rejected", "Rejected", "rejected", "bad", true),
            new Counter("dlq", "DLQ", "DLQ", "dlq", true),
            new Counter("redemptions", "Redeemed", "redeemed", "good", true),
            new Counter("redemptions_rejected", "Redemptions rejected", "rejected", "bad", true),
            new Counter("active_customers", "Active customers", "active customers", "good", false),
            new Counter("webhook_deliveries", "Webhook deliveries", "delivered", "good", true),
            new Counter("webhook_failures", "Webhook failures", "failed", "bad", true),
            new Counter("webhook_retries", "Webhook retries", "retried", "repeat", true),
            new Counter("api_requests", "API requests", "requests", "good", true));
    private static final Map<String, Counter> BY_FIELD = COUNTERS.stream()
            .collect(Collectors.toMap(Counter::field, Function.identity()));

    private record Chart(String id, String title, List<String> fields) {
    }

    private static final List<Chart> CHARTS = List.of(
            new Chart("inputs", "Inputs by result", List.of("applied", "duplicates", "conflicts", "rejected", "dlq")),
            new Chart("redemptions", "Redemptions", List.of("redemptions", "redemptions_rejected")),
            new Chart("customers", "Active customers", List.of("active_customers")),
            new Chart("webhooks", "Webhook deliveries", List.of("webhook_deliveries", "webhook_failures")),
            new Chart("api-requests", "API requests", List.of("api_requests")));

    private final Views views;
    private final Chrome chrome;
    private final Console.Usage usage;
    private final Clock clock;

    UsagePages(Views views, Chrome chrome, Console.Usage usage, Clock clock) {
        this.views = views;
        this.chrome = chrome;
        this.usage = usage;
        this.clock = clock;
    }

    void show(Context ctx, Space space) {
        String fromText = Optional.ofNullable(ctx.queryParam("from")).orElse("").strip();
        String toText = Optional.ofNullable(ctx.queryParam("to")).orElse("").strip();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Optional<LocalDate> to = toText.isEmpty() ? Optional.of(today) : date(toText);
        Optional<LocalDate> from = fromText.isEmpty() ? to.map(t -> t.minusDays(DEFAULT_DAYS - 1)) : date(fromText);
        Model.Page page = chrome.page(ctx, "Usage · " + space.slug(), Optional.of(space), "usage");
        int max = usage.maxDays();
        if (from.isEmpty() || to.isEmpty()) {
            invalid(ctx, page, new Model.UsageForm(fromText, toText, from.isEmpty(), to.isEmpty(), max),
                    "Enter both days as dates (YYYY-MM-DD).");
            return;
        }
        Model.UsageForm form = new Model.UsageForm(from.get().toString(), to.get().toString(), false, false, max);
        if (to.get().isBefore(from.get())) {
            invalid(ctx, page, new Model.UsageForm(form.from(), form.to(), true, true, max),
                    "The first day (" + from.get() + ") is after the last (" + to.get() + ").");
            return;
        }
        long days = ChronoUnit.DAYS.between(from.get(), to.get()) + 1;
        if (days > max) {
            invalid(ctx, page, new Model.UsageForm(form.from(), form.to(), true, true, max),
                    "That is " + days + " days; at most " + max + " can be shown at once.");
            return;
        }
        String range = from.get() + " to " + to.get() + " (" + days + (days == 1 ? " day" : " days") + ", UTC)";
        JsonNode read;
        try {
            read = usage.days(space.slug(), from.get(), to.get());
        } catch (IllegalStateException e) {
            render(ctx, 503, new Model.UsageView(page, form, Optional.of(new Model.Notice("warn",
                    "The usage meters are starting or rebalancing", List.of("Reload this page in a few seconds."))), range,
                    false, List.of(), List.of(), List.of(), List.of()));
            return;
        }
        render(ctx, 200, view(page, form, range, read));
    }

    private static Model.UsageView view(Model.Page page, Model.UsageForm form, String range, JsonNode read) {
        List<LocalDate> dates = new ArrayList<>();
        read.forEach(d -> dates.add(LocalDate.parse(d.path("date").asText())));
        JsonNode first = read.path(0);
        List<Counter> present = COUNTERS.stream().filter(c -> first.has(c.field())).toList();
        Map<String, long[]> counts = present.stream().collect(Collectors.toMap(Counter::field, c -> {
            long[] perDay = new long[dates.size()];
            for (int d = 0; d < perDay.length; d++) {
                perDay[d] = read.get(d).path(c.field()).asLong();
            }
            return perDay;
        }));
        boolean empty = counts.values().stream().allMatch(perDay -> Arrays.stream(perDay).allMatch(v -> v == 0));
        if (empty) {
            return new Model.UsageView(page, form, Optional.empty(), range, true, List.of(), List.of(), List.of(),
                    List.of());
        }
        List<Model.ChartView> charts = CHARTS.stream().filter(c -> c.fields().stream().allMatch(counts::containsKey))
                .map(c -> chart(c, range, dates, counts)).toList();
        List<Model.UsageRow> rows = new ArrayList<>();
        for (int d = dates.size() - 1; d >= 0; d--) {
            int day = d;
            rows.add(new Model.UsageRow(dates.get(d).toString(), present.stream()
                    .map(c -> Formats.number(counts.get(c.field())[day])).toList()));
        }
        List<String> totals = present.stream().map(c -> c.additive() ? Formats.number(sum(counts.get(c.field())))
                : "max " + Formats.number(highest(counts.get(c.field())))).toList();
        return new Model.UsageView(page, form, Optional.empty(), range, false, charts,
                present.stream().map(Counter::column).toList(), rows, totals);
    }

    private static Model.ChartView chart(Chart chart, String range, List<LocalDate> dates, Map<String, long[]> counts) {
        List<UsageChart.Series> series = new ArrayList<>();
        List<Model.LegendItem> legend = new ArrayList<>();
        List<String> said = new ArrayList<>();
        for (String field : chart.fields()) {
            Counter c = BY_FIELD.get(field);
            long[] perDay = counts.get(field);
            series.add(new UsageChart.Series(c.name(), c.tone(), perDay));
            String total = c.additive() ? Formats.number(sum(perDay)) : "at most " + Formats.number(highest(perDay))
                    + " a day";
            legend.add(new Model.LegendItem(c.tone(), c.name(), total));
            said.add(c.name() + " " + total);
        }
        String label = chart.title() + " per day, " + range + ": " + String.join(", ", said);
        return UsageChart.layout(chart.id(), chart.title(), label, dates, series, legend);
    }

    private void invalid(Context ctx, Model.Page page, Model.UsageForm form, String why) {
        render(ctx, 400, new Model.UsageView(page, form, Optional.of(Model.Notice.error("Choose another range", why)),
                "", false, List.of(), List.of(), List.of(), List.of()));
    }

    private void render(Context ctx, int status, Model.UsageView view) {
        Web.html(ctx, status, views.render("usage", view));
    }

    private static Optional<LocalDate> date(String text) {
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static long sum(long[] perDay) {
        return Arrays.stream(perDay).sum();
    }

    private static long highest(long[] perDay) {
        return Arrays.stream(perDay).max().orElse(0);
    }
}
