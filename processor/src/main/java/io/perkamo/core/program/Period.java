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

    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wire() {
        return wire; // in every limit_reached message: not lower-cased per call
    }

    public static Optional<Period> fromWire(String text) {
        for (Period p : values()) {
            if (p.wire().equals(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long MIN_DAY = LocalDate.MIN.toEpochDay();
    private static final long MAX_DAY = LocalDate.MAX.toEpochDay();

    /** Start of the window holding {@code at}; the epoch for LIFETIME. */
    public Instant start(Instant at) {
        return Instant.ofEpochSecond(startSecond(at));
    }

    /**
     * {@link #start} as an epoch second (a window starts at a whole second). Day arithmetic on
     * the epoch second: LocalDate.ofInstant builds a ZoneRules on every call, and this runs for
     * every rule with a limit.
     */
    public long startSecond(Instant at) {
        long day = Math.floorDiv(at.getEpochSecond(), SECONDS_PER_DAY);
        if (day < MIN_DAY + 7 || day > MAX_DAY) {
            // throws, as it always did, where no LocalDate holds the start
            return startByCalendar(at).getEpochSecond();
        }
        long first = switch (this) {
            case DAY -> day;
            case WEEK -> day - Math.floorMod(day + 3, 7); // 1970-01-01 was a Thursday, 3 days after a Monday
            case MONTH -> day - LocalDate.ofEpochDay(day).getDayOfMonth() + 1;
            case LIFETIME -> 0;
        };
        return first * SECONDS_PER_DAY;
    }

    /** The UTC calendar day of {@code at} as an epoch day: LocalDate.ofInstant(at, UTC).toEpochDay(). */
    public static long utcEpochDay(Instant at) {
        long day = Math.floorDiv(at.getEpochSecond(), SECONDS_PER_DAY);
        if (day < MIN_DAY || day > MAX_DAY) {
            return LocalDate.ofInstant(at, ZoneOffset.UTC).toEpochDay(); // throws as before
        }
        return day;
    }

    /** What {@link #start} computes, by the calendar: the definition it is tested against. */
    Instant startByCalendar(Instant at) {
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
