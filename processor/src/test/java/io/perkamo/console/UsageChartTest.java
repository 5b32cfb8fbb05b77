package io.perkamo.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class UsageChartTest {
    private static final List<LocalDate> WEEK = LocalDate.parse("2026-11-26").datesUntil(LocalDate.parse("2026-12-03"))
            .toList();

    @Test
    void shouldScaleToRoundStepsOfOneTwoOrFive() {
        assertThat(List.of(0L, 1L, 4L, 7L, 17L, 100L, 101L, 9_999L)).map(UsageChart::step)
                .containsExactly(1L, 1L, 1L, 2L, 5L, 50L, 50L, 5_000L);
    }

    @Test
    void shouldStackADaysSeriesFromTheBottomAndLeaveEmptyDaysWithoutBars() {
        long[] applied = {0, 0, 0, 0, 0, 3, 1};
        long[] duplicates = {0, 0, 0, 0, 0, 1, 0};

        Model.ChartView chart = UsageChart.layout("inputs", "Inputs", "Inputs: applied 4, duplicates 1", WEEK,
                List.of(new UsageChart.Series("applied", "good", applied),
                        new UsageChart.Series("duplicates", "repeat", duplicates)), List.of());

        assertThat(chart.grid()).extracting(Model.GridLine::label).containsExactly("0", "1", "2", "3", "4");
        assertThat(chart.days()).extracting(Model.DayBars::tip)
                .containsExactly("2026-12-01: applied 3, duplicates 1", "2026-12-02: applied 1");
        List<Model.Bar> busiest = chart.days().get(0).bars();
        double bottom = Double.parseDouble(chart.grid().get(0).y());
        double top = Double.parseDouble(chart.grid().get(4).y());
        // applied sits on the axis, the duplicate on top of it, reaching the top of the scale
        assertThat(Double.parseDouble(busiest.get(0).y()) + Double.parseDouble(busiest.get(0).height()))
                .isCloseTo(bottom, org.assertj.core.data.Offset.offset(0.11));
        assertThat(Double.parseDouble(busiest.get(1).y())).isCloseTo(top, org.assertj.core.data.Offset.offset(0.11));
        assertThat(chart.axis()).extracting(Model.AxisLabel::text).startsWith("Nov 26").endsWith("Dec 2");
    }
}
