package io.perkamo.core.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PeriodTest {

    @Property(tries = 2000)
    void theWindowStartIsTheCalendarOne(@ForAll Period period, @ForAll("instants") Instant at) {
        assertThat(period.start(at)).isEqualTo(period.startByCalendar(at));
        assertThat(Period.utcEpochDay(at)).isEqualTo(LocalDate.ofInstant(at, ZoneOffset.UTC).toEpochDay());
    }

    @Property(tries = 200)
    void instantsNoLocalDateHoldsStillFail(@ForAll Period period, @ForAll("beyondLocalDate") Instant at) {
        assertThatThrownBy(() -> period.startByCalendar(at)).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> period.start(at)).isInstanceOf(DateTimeException.class);
    }

    @Provide
    Arbitrary<Instant> instants() {
        long min = LocalDate.MIN.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long max = LocalDate.MAX.atStartOfDay(ZoneOffset.UTC).toEpochSecond() + 86_399;
        return Arbitraries.oneOf(
                // around now, the epoch, and the ends of what a LocalDate holds
                Arbitraries.longs().between(-5_000_000_000L, 5_000_000_000L),
                Arbitraries.longs().between(-100_000, 100_000),
                Arbitraries.longs().between(min, min + 30 * 86_400L),
                Arbitraries.longs().between(max - 30 * 86_400L, max),
                Arbitraries.longs().between(min, max))
                .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
    }

    @Provide
    Arbitrary<Instant> beyondLocalDate() {
        long min = LocalDate.MIN.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long max = LocalDate.MAX.atStartOfDay(ZoneOffset.UTC).toEpochSecond() + 86_400;
        return Arbitraries.oneOf(Arbitraries.longs().between(Instant.MIN.getEpochSecond(), min - 1),
                Arbitraries.longs().between(max, Instant.MAX.getEpochSecond())).map(Instant::ofEpochSecond);
    }
}
