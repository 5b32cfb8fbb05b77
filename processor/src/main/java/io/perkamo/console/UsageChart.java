package io.perkamo.console;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out a stacked bar chart of counts per day for inline SVG: one bar per day, its series
 * stacked from the bottom, a y scale of round steps and a few date labels. Pure geometry in the
 * view box's units; the browser scales the box to the page's width.
 */
final class UsageChart {
    static final int WIDTH = 600;
    static final int HEIGHT = 260;
    private static final double LEFT = 6;
    private static final double RIGHT = WIDTH - 6;
    private static final double TOP = 30;
    private static final double BOTTOM = HEIGHT - 34;
    private static final double MAX_BAR = 44;
    /** A count above zero stays visible on a tall scale. */
    private static final double MIN_BAR = 1.5;
    private static final int DATE_LABELS = 6;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ROOT);

    /** A series of the chart: its name, its colour (a CSS tone) and its count per day. */
    record Series(String name, String tone, long[] perDay) {
    }

    private UsageChart() {
    }

    /**
     * @param dates the days, oldest first; every series has one count per date
     * @param label the chart's accessible name (with its totals)
     */
    static Model.ChartView layout(String id, String title, String label, List<LocalDate> dates, List<Series> series,
                                  List<Model.LegendItem> legend) {
        int n = dates.size();
        long highest = 0;
        for (int d = 0; d < n; d++) {
            highest = Math.max(highest, dayTotal(series, d));
        }
        long step = step(highest);
        long top = Math.max(step, (highest + step - 1) / step * step);
        double slot = (RIGHT - LEFT) / n;
        double barWidth = Math.min(MAX_BAR, Math.max(1, slot * 0.72));
        double scale = (BOTTOM - TOP) / top;

        List<Model.GridLine> grid = new ArrayList<>();
        for (long v = 0; v <= top; v += step) {
            grid.add(new Model.GridLine(u(LEFT), u(RIGHT), u(BOTTOM - v * scale), Formats.number(v)));
        }
        List<Model.DayBars> days = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            double x = LEFT + d * slot + (slot - barWidth) / 2;
            double base = BOTTOM;
            List<Model.Bar> bars = new ArrayList<>();
            List<String> tip = new ArrayList<>();
            for (Series s : series) {
                long v = s.perDay()[d];
                if (v == 0) {
                    continue;
                }
                double h = Math.max(MIN_BAR, v * scale);
                base -= h;
                bars.add(new Model.Bar(s.tone(), u(x), u(base), u(barWidth), u(h)));
                tip.add(s.name() + " " + Formats.number(v));
            }
            if (!bars.isEmpty()) {
                days.add(new Model.DayBars(dates.get(d) + ": " + String.join(", ", tip), bars));
            }
        }
        return new Model.ChartView(id, title, label, WIDTH, HEIGHT, legend, grid, days, axis(dates, slot));
    }

    /** The first and last day, and evenly spaced days between them, each under its bar. */
    private static List<Model.AxisLabel> axis(List<LocalDate> dates, double slot) {
        int n = dates.size();
        int every = Math.max(1, (int) Math.ceil(n / (double) DATE_LABELS));
        String y = u(HEIGHT - 10);
        List<Model.AxisLabel> labels = new ArrayList<>();
        labels.add(new Model.AxisLabel(u(LEFT + (n == 1 ? slot / 2 : 0)), y, n == 1 ? "middle" : "start",
                DAY.format(dates.get(0)), false));
        for (int d = every, i = 1; d <= n - 1 - every; d += every, i++) {
            labels.add(new Model.AxisLabel(u(LEFT + (d + 0.5) * slot), y, "middle", DAY.format(dates.get(d)),
                    i % 2 == 1));
        }
        if (n > 1) {
            labels.add(new Model.AxisLabel(u(RIGHT), y, "end", DAY.format(dates.get(n - 1)), false));
        }
        return labels;
    }

    private static long dayTotal(List<Series> series, int d) {
        long total = 0;
        for (Series s : series) {
            total += s.perDay()[d];
        }
        return total;
    }

    /** 1, 2 or 5 times a power of ten: at most four steps up to {@code highest}. */
    static long step(long highest) {
        long raw = Math.max(1, (highest + 3) / 4);
        long power = 1;
        while (power * 10 <= raw) {
            power *= 10;
        }
        for (long m : new long[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String u(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
