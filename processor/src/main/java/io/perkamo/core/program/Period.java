package io.perkamo.core.program;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/** A limit window in event time, UTC. Weeks are ISO weeks starting on Monday. */
public enum Period {
    DAY, WEEK, MONTH, LIFETIME;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Period> fromWire(String text) {
        for (Period p : values()) {
            if (p.wire().equals(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Start of the window holding {@code at}; the epoch for LIFETIME. */
    public Instant start(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        LocalDate first = switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            case LIFETIME -> LocalDate.EPOCH;
        };
        return first.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
